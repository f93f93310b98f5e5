# Helpers so each layer's tests, fuzzers and benchmarks are declared in one line.

# Everything a test reads lies inside the clone: the vendored conformance data, the Node peers
# that scripts/setup.sh installs into build/node.
set(HTTPSTATE_TEST_DATA_DIR ${PROJECT_SOURCE_DIR}/tests/data)
set(HTTPSTATE_NODE_PATH ${PROJECT_SOURCE_DIR}/build/node/node_modules)

# httpstate_test(NAME SOURCES a.cpp ... LIBS httpstate_jar ... [PREFIX name.]); PREFIX keeps
# the test names unique when one source is built into two executables.
function(httpstate_test name)
  cmake_parse_arguments(T "" "PREFIX" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main GTest::gmock Threads::Threads)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    HTTPSTATE_TEST_DATA_DIR="${HTTPSTATE_TEST_DATA_DIR}"
    HTTPSTATE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    HTTPSTATE_NODE_PATH="${HTTPSTATE_NODE_PATH}"
    HTTPSTATE_CLI="$<TARGET_FILE:httpstate>")
  add_dependencies(${name} httpstate)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60 TEST_PREFIX "${T_PREFIX}"
    PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
endfunction()

# httpstate_fuzzer(NAME SOURCES f.cpp LIBS ... [DICT file.dict]): a libFuzzer target plus a
# bounded CTest smoke run over fuzz/corpus/NAME, and a replay of every input kept in
# fuzz/regressions/NAME.
set(HTTPSTATE_FUZZ_SECONDS 10 CACHE STRING "Seconds of fuzzing per target in the CTest smoke run")
function(httpstate_fuzzer name)
  cmake_parse_arguments(F "" "DICT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${F_SOURCES})
  target_link_libraries(${name} PRIVATE ${F_LIBS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set(seeds ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
  set(work ${PROJECT_BINARY_DIR}/corpus-${name})
  file(MAKE_DIRECTORY ${work} ${seeds})
  set(dict)
  if(F_DICT)
    set(dict -dict=${CMAKE_CURRENT_SOURCE_DIR}/${F_DICT})
  endif()
  # A fixed seed makes the smoke run replay one mutation sequence, so CI repeats what a local
  # run of the same length saw; the long runs that look for new findings are made by hand.
  add_test(NAME ${name}.smoke
    COMMAND ${name} -seed=1 -max_total_time=${HTTPSTATE_FUZZ_SECONDS} -rss_limit_mb=2048 -timeout=10 ${dict} ${work} ${seeds})
  set(regressions ${PROJECT_SOURCE_DIR}/fuzz/regressions/${name})
  if(EXISTS ${regressions})
    file(GLOB inputs ${regressions}/*)
    if(inputs)
      add_test(NAME ${name}.regressions COMMAND ${name} -runs=1 ${inputs})
    endif()
  endif()
endfunction()

# httpstate_benchmark(NAME SOURCES b.cpp LIBS ...)
function(httpstate_benchmark name)
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE ${B_LIBS} benchmark::benchmark Threads::Threads)
endfunction()
