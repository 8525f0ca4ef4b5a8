# izde_test(NAME SOURCES... LIBS...): a GoogleTest executable registered with CTest.
# Tests run with the source root as working directory and IZDE_SHARED_DIR set, so
# they can find ../shared/data; IZDE_BUILD_DIR names the build directory.
function(izde_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main Threads::Threads)
  # Where the izde binary of this build is, for tests that run it. (Passed at
  # compile time: gtest_discover_tests splits a two-variable ENVIRONMENT.)
  target_compile_definitions(${name} PRIVATE IZDE_BUILD_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(${name}
    TEST_PREFIX "${name}."
    WORKING_DIRECTORY ${IZDE_SOURCE_ROOT}
    PROPERTIES ENVIRONMENT "IZDE_SHARED_DIR=${IZDE_SHARED_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()
