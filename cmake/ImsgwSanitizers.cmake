# IMSGW_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer for everything.
if(IMSGW_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(IMSGW_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "IMSGW_FUZZ needs clang: configure with -DCMAKE_C_COMPILER=clang")
  endif()
  # Instrument everything for coverage; fuzz binaries add the libFuzzer main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
