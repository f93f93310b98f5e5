# The Beast adapter's and `httpstate serve`'s tests (issue 13), kept apart from the stores' tests.
find_package(Boost 1.74 REQUIRED)
httpstate_test(server_beast_test SOURCES beast_test.cpp LIBS httpstate_server Boost::headers)
foreach(t serve_clients serve_bad_input)
  httpstate_test(server_${t}_test SOURCES ${t}_test.cpp LIBS httpstate_server)
  target_compile_definitions(server_${t}_test PRIVATE HTTPSTATE_SERVE_PEERS="${CMAKE_CURRENT_SOURCE_DIR}/peers")
endforeach()
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
target_link_libraries(server_serve_clients_test PRIVATE PkgConfig::HIREDIS)
# Our own client against serve: the `httpstate` program with --session (tests/cli's commands).
httpstate_test(server_serve_own_client_test SOURCES serve_own_client_test.cpp LIBS httpstate_server)
target_compile_definitions(server_serve_own_client_test PRIVATE HTTPSTATE_SERVE_PEERS="${CMAKE_CURRENT_SOURCE_DIR}/peers")
