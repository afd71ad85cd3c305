# Strict warnings for every imsgw target; IMSGW_WERROR turns them into errors.
set(IMSGW_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wformat-security
  -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition
  -Wpointer-arith -Wcast-qual -Wwrite-strings -Wvla -Wnull-dereference
  -Wimplicit-fallthrough -Wundef -Wno-unused-parameter)
if(IMSGW_WERROR)
  list(APPEND IMSGW_WARNING_FLAGS -Werror)
endif()
set(IMSGW_HARDEN_FLAGS -fstack-protector-strong -fno-strict-aliasing)
if(NOT IMSGW_SANITIZE AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  list(APPEND IMSGW_HARDEN_FLAGS -D_FORTIFY_SOURCE=2)
endif()

# imsgw_target_defaults(<target>): warnings, hardening, POSIX feature macros.
function(imsgw_target_defaults tgt)
  target_compile_options(${tgt} PRIVATE ${IMSGW_WARNING_FLAGS} ${IMSGW_HARDEN_FLAGS})
  target_compile_definitions(${tgt} PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
endfunction()
