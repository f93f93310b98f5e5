# The installed package: `cmake --install BUILD --prefix PREFIX` puts the headers, the libraries,
# the `httpstate` program, a CMake package (find_package(httpstate 0.1 CONFIG), one imported
# target httpstate::<layer> per layer) and one pkg-config file per layer (httpstate-<layer>.pc).
#
# A layer joins the package with one line in its src/<layer>/CMakeLists.txt:
#
#   httpstate_install_layer(<layer>)
#
# It installs the target httpstate_<layer> as httpstate::<layer>, the headers under
# include/httpstate/<layer>/, and writes what a consumer needs to link it. The dependencies are
# read from the target's own target_link_libraries (PUBLIC and PRIVATE, wherever in the file they
# are: the work is deferred to the end of the folder), so nothing is listed twice:
#   - other layers (httpstate_<name>) become layer requirements (and Requires: httpstate-<name>);
#   - pkg-config imported targets (PkgConfig::<PREFIX> from pkg_check_modules(<PREFIX> ...
#     IMPORTED_TARGET <module>)) are recreated in the consumer by the same pkg_check_modules call
#     and become Requires: <module>;
#   - any other imported target must be in the table below (httpstate_package_dependency): it
#     says which find_dependency() call recreates it and which pkg-config module (or flags) it
#     is. A target that is missing from the table stops the configure with a message naming it.
# A static library's private dependencies go with it (a .a file records none of its own), so for
# a static build they are in Requires/Libs; for a shared build in Requires.private/Libs.private.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HTTPSTATE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/httpstate)
if(BUILD_SHARED_LIBS)
  # The installed program finds the installed libraries wherever PREFIX is.
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  file(RELATIVE_PATH _httpstate_bin_to_lib /p/${CMAKE_INSTALL_BINDIR} /p/${CMAKE_INSTALL_LIBDIR})
  set(CMAKE_INSTALL_RPATH "$ORIGIN/${_httpstate_bin_to_lib}")
endif()
set(HTTPSTATE_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# httpstate_package_dependency(TARGET t FIND "Package [version] [COMPONENTS ...]"
#                              [PC "module [>= version]"] [LIBS flags...])
# What an imported target a layer links is, for the installed package: the find_dependency()
# arguments that recreate it, and its pkg-config module (PC) or plain link flags (LIBS).
function(httpstate_package_dependency)
  cmake_parse_arguments(D "" "TARGET;FIND;PC" "LIBS" ${ARGN})
  set_property(GLOBAL PROPERTY HTTPSTATE_DEP_FIND_${D_TARGET} "${D_FIND}")
  set_property(GLOBAL PROPERTY HTTPSTATE_DEP_PC_${D_TARGET} "${D_PC}")
  set_property(GLOBAL PROPERTY HTTPSTATE_DEP_LIBS_${D_TARGET} "${D_LIBS}")
  set_property(GLOBAL PROPERTY HTTPSTATE_DEP_KNOWN_${D_TARGET} TRUE)
endfunction()

httpstate_package_dependency(TARGET Threads::Threads FIND "Threads" LIBS -pthread)
httpstate_package_dependency(TARGET CURL::libcurl FIND "CURL" PC "libcurl")
httpstate_package_dependency(TARGET OpenSSL::Crypto FIND "OpenSSL 3" PC "libcrypto >= 3")
httpstate_package_dependency(TARGET OpenSSL::SSL FIND "OpenSSL 3" PC "libssl >= 3")
httpstate_package_dependency(TARGET ZLIB::ZLIB FIND "ZLIB" PC "zlib")
httpstate_package_dependency(TARGET nlohmann_json::nlohmann_json FIND "nlohmann_json 3" PC "nlohmann_json")
httpstate_package_dependency(TARGET SQLite::SQLite3 FIND "SQLite3" PC "sqlite3")
# Beast and Asio are header-only; they need no pkg-config module (Boost ships none).
httpstate_package_dependency(TARGET Boost::headers FIND "Boost 1.74")
httpstate_package_dependency(TARGET Boost::boost FIND "Boost 1.74")

function(httpstate_install_layer layer)
  if(NOT TARGET httpstate_${layer})
    message(FATAL_ERROR "httpstate_install_layer(${layer}): there is no target httpstate_${layer}")
  endif()
  cmake_language(DEFER CALL _httpstate_install_layer_now ${layer})
endfunction()

# The package's config file, written once all layers have been seen (deferred from the top
# level by httpstate_install_package()).
function(httpstate_install_package)
  cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _httpstate_install_package_now)
endfunction()

function(_httpstate_install_layer_now layer)
  set(target httpstate_${layer})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${layer})
  target_compile_features(${target} PUBLIC cxx_std_20)
  # The headers are found in the source tree when building and under PREFIX/include once
  # installed; version.hpp is generated into the build tree.
  get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  set(fixed)
  foreach(d IN LISTS dirs)
    if(d STREQUAL "${PROJECT_SOURCE_DIR}/include")
      list(APPEND fixed "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>")
    elseif(d)
      list(APPEND fixed "${d}")
    endif()
  endforeach()
  list(APPEND fixed "$<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>"
                    "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${fixed}")

  get_target_property(type ${target} TYPE)
  get_target_property(all ${target} LINK_LIBRARIES)
  get_target_property(public ${target} INTERFACE_LINK_LIBRARIES)
  if(NOT all)
    set(all)
  endif()
  if(NOT public)
    set(public)
  endif()
  set(layers)             # layers this one links
  set(finds)              # find_dependency() argument strings, public then private
  set(pkg_prefixes)       # PkgConfig::<PREFIX> targets to recreate
  set(requires)           # pkg-config modules
  set(requires_private)
  set(libs)
  set(libs_private)
  foreach(dep IN LISTS all)
    if(dep MATCHES "^\\$<")
      message(FATAL_ERROR "httpstate_install_layer(${layer}): link ${dep} by a plain name, not a generator expression")
    endif()
    set(is_public FALSE)
    if(dep IN_LIST public)
      set(is_public TRUE)
    endif()
    # A static archive records no dependencies: everything it links is the consumer's to link.
    set(needed_by_consumer ${is_public})
    if(type STREQUAL "STATIC_LIBRARY")
      set(needed_by_consumer TRUE)
    endif()
    set(pc)
    set(flags)
    if(dep MATCHES "^httpstate_(.+)$")
      list(APPEND layers ${CMAKE_MATCH_1})
      set(pc "httpstate-${CMAKE_MATCH_1}")
    elseif(dep MATCHES "^PkgConfig::(.+)$")
      set(prefix ${CMAKE_MATCH_1})
      set(args "${__pkg_config_arguments_${prefix}}")
      list(REMOVE_ITEM args REQUIRED QUIET IMPORTED_TARGET GLOBAL NO_CMAKE_PATH NO_CMAKE_ENVIRONMENT_PATH)
      if(NOT args)
        message(FATAL_ERROR "httpstate_install_layer(${layer}): ${dep} was not made by pkg_check_modules(${prefix} ... IMPORTED_TARGET module)")
      endif()
      string(REPLACE ";" " " modules "${args}")
      set(pc "${modules}")
      if(needed_by_consumer)
        list(APPEND pkg_prefixes "${prefix}=${modules}")
      endif()
    elseif(dep MATCHES "::")
      get_property(known GLOBAL PROPERTY HTTPSTATE_DEP_KNOWN_${dep})
      if(NOT known)
        message(FATAL_ERROR "httpstate_install_layer(${layer}): the package does not know how a consumer finds ${dep}; "
                            "add a httpstate_package_dependency(TARGET ${dep} FIND ... PC ...) line to cmake/HttpstateInstall.cmake")
      endif()
      get_property(find GLOBAL PROPERTY HTTPSTATE_DEP_FIND_${dep})
      get_property(pc GLOBAL PROPERTY HTTPSTATE_DEP_PC_${dep})
      get_property(flags GLOBAL PROPERTY HTTPSTATE_DEP_LIBS_${dep})
      if(needed_by_consumer)
        list(APPEND finds "${find}")
      endif()
    else()
      set(flags "-l${dep}")
    endif()
    if(is_public OR type STREQUAL "STATIC_LIBRARY")
      list(APPEND requires ${pc})
      list(APPEND libs ${flags})
    else()
      list(APPEND requires_private ${pc})
      list(APPEND libs_private ${flags})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES finds)

  install(TARGETS ${target} EXPORT httpstate-${layer}-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(EXPORT httpstate-${layer}-targets NAMESPACE httpstate::
    DESTINATION ${HTTPSTATE_CMAKE_DIR} FILE httpstate-${layer}-targets.cmake)
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/httpstate/${layer})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/httpstate/${layer}
      DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/httpstate)
  endif()

  # The config file's block for this layer: its dependencies, then its imported target.
  set(block "if(\"${layer}\" IN_LIST _httpstate_load)\n")
  foreach(find IN LISTS finds)
    string(APPEND block "  find_dependency(${find})\n")
  endforeach()
  foreach(entry IN LISTS pkg_prefixes)
    string(REGEX REPLACE "=.*" "" prefix "${entry}")
    string(REGEX REPLACE "^[^=]*=" "" modules "${entry}")
    string(APPEND block
      "  if(NOT TARGET PkgConfig::${prefix})\n"
      "    find_dependency(PkgConfig)\n"
      "    pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${modules})\n"
      "    if(NOT TARGET PkgConfig::${prefix})\n"
      "      set(httpstate_FOUND FALSE)\n"
      "      set(httpstate_NOT_FOUND_MESSAGE \"httpstate::${layer} needs the pkg-config module ${modules}, which was not found\")\n"
      "      return()\n"
      "    endif()\n"
      "  endif()\n")
  endforeach()
  string(APPEND block
    "  include(\"\${CMAKE_CURRENT_LIST_DIR}/httpstate-${layer}-targets.cmake\")\n"
    "  set(httpstate_${layer}_FOUND TRUE)\n"
    "endif()\n")
  set_property(GLOBAL APPEND PROPERTY HTTPSTATE_LAYERS ${layer})
  set_property(GLOBAL PROPERTY HTTPSTATE_LAYER_BLOCK_${layer} "${block}")
  set_property(GLOBAL PROPERTY HTTPSTATE_LAYER_DEPS_${layer} "${layers}")

  # pkg-config file, relocatable: prefix is found from the .pc file's own folder.
  file(RELATIVE_PATH to_prefix "/p/${HTTPSTATE_PKGCONFIG_DIR}" "/p")
  string(REGEX REPLACE "/$" "" to_prefix "${to_prefix}")
  list(JOIN requires ", " requires)
  list(JOIN requires_private ", " requires_private)
  list(REMOVE_DUPLICATES libs)
  list(REMOVE_DUPLICATES libs_private)
  list(JOIN libs " " libs)
  if(libs)
    string(PREPEND libs " ")
  endif()
  list(JOIN libs_private " " libs_private)
  get_target_property(output ${target} OUTPUT_NAME)
  if(NOT output)
    set(output ${target})
  endif()
  set(pc_text "prefix=\${pcfiledir}/${to_prefix}\n"
    "libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}\n"
    "includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}\n\n"
    "Name: httpstate-${layer}\n"
    "Description: httpstate ${layer} layer: HTTP state management for C++ (needs -std=c++20)\n"
    "Version: ${PROJECT_VERSION}\n"
    "Requires: ${requires}\n"
    "Requires.private: ${requires_private}\n"
    "Cflags: -I\${includedir}\n"
    "Libs: -L\${libdir} -l${output}${libs}\n"
    "Libs.private: ${libs_private}\n")
  string(JOIN "" pc_text ${pc_text})
  file(WRITE ${PROJECT_BINARY_DIR}/pkgconfig/httpstate-${layer}.pc "${pc_text}")
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/httpstate-${layer}.pc DESTINATION ${HTTPSTATE_PKGCONFIG_DIR})
endfunction()

function(_httpstate_install_package_now)
  get_property(layers GLOBAL PROPERTY HTTPSTATE_LAYERS)
  # Install order is dependency order (the top level adds a layer after the layers it links).
  set(body "set(_httpstate_layers ${layers})\n")
  foreach(layer IN LISTS layers)
    get_property(deps GLOBAL PROPERTY HTTPSTATE_LAYER_DEPS_${layer})
    string(APPEND body "set(_httpstate_requires_${layer} ${deps})\n")
  endforeach()
  string(APPEND body [[
# The layers asked for (all of them without COMPONENTS) and the layers they link.
if(httpstate_FIND_COMPONENTS)
  set(_httpstate_load ${httpstate_FIND_COMPONENTS})
else()
  set(_httpstate_load ${_httpstate_layers})
endif()
set(_httpstate_reversed ${_httpstate_layers})
list(REVERSE _httpstate_reversed)
foreach(_httpstate_layer IN LISTS _httpstate_reversed)
  if(_httpstate_layer IN_LIST _httpstate_load)
    list(APPEND _httpstate_load ${_httpstate_requires_${_httpstate_layer}})
  endif()
endforeach()

]])
  foreach(layer IN LISTS layers)
    get_property(block GLOBAL PROPERTY HTTPSTATE_LAYER_BLOCK_${layer})
    string(APPEND body "${block}")
  endforeach()
  set(HTTPSTATE_CONFIG_BODY "${body}")
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/httpstate-config.cmake.in
    ${PROJECT_BINARY_DIR}/cmake/httpstate-config.cmake INSTALL_DESTINATION ${HTTPSTATE_CMAKE_DIR})
  # 0.x: a minor version may break the API, so 0.1 accepts 0.1.* only.
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/httpstate-config-version.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/cmake/httpstate-config.cmake
                ${PROJECT_BINARY_DIR}/cmake/httpstate-config-version.cmake
          DESTINATION ${HTTPSTATE_CMAKE_DIR})
endfunction()

# The headers of no single layer: result.hpp, error.hpp, and the generated version.hpp.
configure_file(${PROJECT_SOURCE_DIR}/cmake/version.hpp.in ${PROJECT_BINARY_DIR}/include/httpstate/version.hpp @ONLY)
file(GLOB _httpstate_common_headers ${PROJECT_SOURCE_DIR}/include/httpstate/*.hpp)
install(FILES ${_httpstate_common_headers} ${PROJECT_BINARY_DIR}/include/httpstate/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/httpstate)
