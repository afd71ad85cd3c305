# imsgw_embed(<input file> <output .c> <symbol>): a C file defining
#   const char <symbol>[];  const size_t <symbol>_len;
# with the file's bytes (NUL-terminated), regenerated when the input changes.
function(imsgw_embed input output symbol)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DIN=${input} -DOUT=${output} -DSYM=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/ImsgwEmbedRun.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/ImsgwEmbedRun.cmake
    COMMENT "Embedding ${input}")
endfunction()
