# izde_test(NAME SOURCES... LIBS...): a GoogleTest executable registered with CTest.
# Tests run with the source root as working directory and IZDE_SHARED_DIR set, so
# they can find ../shared/data.
function(izde_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main Threads::Threads)
  gtest_discover_tests(${name}
    TEST_PREFIX "${name}."
    WORKING_DIRECTORY ${IZDE_SOURCE_ROOT}
    PROPERTIES ENVIRONMENT "IZDE_SHARED_DIR=${IZDE_SHARED_DIR};IZDE_BIN_DIR=${CMAKE_BINARY_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()
