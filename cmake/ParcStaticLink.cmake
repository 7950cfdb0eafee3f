# parc_link_static_agent(TARGET LIBRARY...): links parc-agent (TARGET) against
# the project's static LIBRARY targets and the static archives (.a) of all
# they use: gRPC, abseil, protobuf, OpenSSL, c-ares, re2, zlib, fmt, spdlog,
# libstdc++ and libgcc. Only glibc stays shared (getaddrinfo and NSS need it).
#
# Why (issue 6 figure 7, resident memory <= 10 MB): parc-agent runs on every
# device. On ~60 shared libraries most of its resident memory was their
# pages: per-library relocated data and GOT, and code pages the kernel maps
# 64 KiB at a time around each page touched (fault-around), in every library.
# One static binary holds only the code it calls, non-PIE (-no-pie: no
# start-up relocation dirtying its read-only data), and without the gRPC
# plugins the agent cannot use (static_grpc_plugins.cc says which and why).
#
# CMake 3.25 cannot link a target's code without also linking the shared
# libraries its dependencies name (INTERFACE_LINK_LIBRARIES), so TARGET takes
# the LIBRARY targets' compile requirements (include directories, definitions)
# from their properties and links their archive files by path. Nothing shared
# but glibc is on the link line: a symbol missing here fails the link, it
# cannot come silently from a shared library.

include_guard(GLOBAL)

# All in Debian 12's libgrpc++-dev and what it depends on (libgrpc-dev,
# libabsl-dev, libprotobuf-dev, libssl-dev, libc-ares-dev, libre2-dev,
# zlib1g-dev), which deploy/install-deps.sh installs.
set(_parc_static_archives grpc++ grpc address_sorting upb re2 cares gpr protobuf ssl crypto z)

function(_parc_find_static_archive out name)
  find_library(PARC_STATIC_LIB_${name} NAMES lib${name}.a NO_CACHE)
  if(NOT PARC_STATIC_LIB_${name})
    message(FATAL_ERROR "PARC_STATIC_AGENT: lib${name}.a not found (deploy/install-deps.sh installs "
                        "the Debian -dev packages that ship it; or configure with "
                        "-DPARC_STATIC_AGENT=OFF)")
  endif()
  set(${out} ${PARC_STATIC_LIB_${name}} PARENT_SCOPE)
endfunction()

function(parc_link_static_agent target)
  set(libraries ${ARGN})
  set(archives)
  foreach(name IN LISTS _parc_static_archives)
    _parc_find_static_archive(path ${name})
    list(APPEND archives ${path})
  endforeach()
  # abseil is ~60 archives whose list changes between versions: all of them,
  # inside the group the linker takes only the members something needs.
  _parc_find_static_archive(absl_base absl_base)
  get_filename_component(absl_dir ${absl_base} DIRECTORY)
  file(GLOB absl_archives ${absl_dir}/libabsl_*.a)
  list(APPEND archives ${absl_archives})

  # fmt and spdlog, compiled from their headers (Debian ships no archives),
  # linked before the archives.
  target_sources(${target} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/static_fmt_spdlog.cc)
  # gRPC's plugin list without the plugins the agent cannot use: written for
  # gRPC 1.51's internals (Debian 12), so any other gRPC links all of them.
  if(gRPC_VERSION VERSION_GREATER_EQUAL 1.51 AND gRPC_VERSION VERSION_LESS 1.52)
    target_sources(${target} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/static_grpc_plugins.cc)
  else()
    message(STATUS "parc-agent: gRPC ${gRPC_VERSION}, not 1.51: all its plugins linked "
                   "(cmake/static_grpc_plugins.cc)")
  endif()

  foreach(library IN LISTS libraries)
    target_include_directories(${target} PRIVATE
                               $<TARGET_PROPERTY:${library},INTERFACE_INCLUDE_DIRECTORIES>)
    target_compile_definitions(${target} PRIVATE
                               $<TARGET_PROPERTY:${library},INTERFACE_COMPILE_DEFINITIONS>)
    target_link_libraries(${target} PRIVATE $<TARGET_FILE:${library}>)
    add_dependencies(${target} ${library})
  endforeach()
  target_link_libraries(${target} PRIVATE -Wl,--start-group ${archives} -Wl,--end-group
                                          Threads::Threads ${CMAKE_DL_LIBS} rt m)
  target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -no-pie
                      -Wl,--gc-sections -Wl,-O1 -Wl,--as-needed)
endfunction()
