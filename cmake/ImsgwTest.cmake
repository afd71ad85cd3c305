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
