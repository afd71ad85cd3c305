# Test helpers.  Labels: unit, integration, security, fuzz.
find_package(PkgConfig REQUIRED)
if(IMSGW_TESTS)
  pkg_check_modules(CMOCKA QUIET IMPORTED_TARGET cmocka)
  if(NOT CMOCKA_FOUND)
    message(FATAL_ERROR "imsgw: tests need cmocka: apt-get install libcmocka-dev "
                        "(or configure with -DIMSGW_TESTS=OFF)")
  endif()
endif()

# imsgw_unit_test(NAME <name> SOURCES <files...> LIBS <libs...> [LABELS <extra labels>])
# Builds a cmocka test executable and registers it with label "unit".
function(imsgw_unit_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  imsgw_target_defaults(${T_NAME})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS "unit;${T_LABELS}" TIMEOUT 120)
endfunction()

# imsgw_fuzz_target(NAME <name> SOURCES <files...> LIBS <libs...> CORPUS <dir>)
# A fuzz target is a file defining LLVMFuzzerTestOneInput().  Always builds
# <name>_replay, which runs every file of CORPUS through the target as an
# ordinary ctest (label "fuzz"; works with gcc).  With IMSGW_FUZZ=ON (clang)
# also builds the libFuzzer binary <name>:  build/tests/fuzz/<name> CORPUS
function(imsgw_fuzz_target)
  cmake_parse_arguments(F "" "NAME;CORPUS" "SOURCES;LIBS" ${ARGN})
  add_executable(${F_NAME}_replay ${F_SOURCES} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.c)
  imsgw_target_defaults(${F_NAME}_replay)
  target_link_libraries(${F_NAME}_replay PRIVATE ${F_LIBS})
  add_test(NAME ${F_NAME} COMMAND ${F_NAME}_replay ${F_CORPUS})
  set_tests_properties(${F_NAME} PROPERTIES LABELS "fuzz" TIMEOUT 300)
  if(IMSGW_FUZZ)
    add_executable(${F_NAME} ${F_SOURCES})
    imsgw_target_defaults(${F_NAME})
    target_compile_options(${F_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${F_NAME} PRIVATE ${F_LIBS})
  endif()
endfunction()
