# Debian packages of Parc, built by CPack from the release preset:
#   cmake --preset release && cmake --build --preset release --target package
# gives build/release/parcd_<v>_amd64.deb, parc-agent_<v>_amd64.deb and
# parcctl_<v>_amd64.deb. Their library dependencies come from dpkg-shlibdeps
# (Debian 12's gRPC, protobuf, SQLite, OpenSSL...); the maintainer scripts of
# parcd and parc-agent are in deploy/debian/<package>/ (the parc user, the
# state directories, first-install init, purge); /etc/parc/parcd.toml is a
# conffile. tests/e2e/package_e2e.sh installs, upgrades and purges them.

install(TARGETS parcd RUNTIME DESTINATION bin COMPONENT parcd)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/parcd.toml DESTINATION /etc/parc COMPONENT parcd)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/parcd.service DESTINATION /lib/systemd/system
        COMPONENT parcd)
install(FILES ${PROJECT_SOURCE_DIR}/agent_client/README.md DESTINATION share/doc/parc-agent
        COMPONENT parc-agent)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/parc-agent.service DESTINATION /lib/systemd/system
        COMPONENT parc-agent)

# Each package's /usr/share/doc/<package>: the copyright file and the
# changelog, compressed as Debian wants it.
execute_process(COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/deploy/debian/changelog
                OUTPUT_FILE ${PROJECT_BINARY_DIR}/changelog.Debian.gz COMMAND_ERROR_IS_FATAL ANY)
foreach(package parcd parc-agent parcctl)
  install(FILES ${PROJECT_SOURCE_DIR}/deploy/debian/copyright ${PROJECT_BINARY_DIR}/changelog.Debian.gz
          DESTINATION share/doc/${package} COMPONENT ${package})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME parc)
set(CPACK_PACKAGE_VENDOR "Parc")
set(CPACK_PACKAGE_CONTACT "Parc team <parc@parc.example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL parcd parc-agent parcctl)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # debug symbols stay in the build tree
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://parc.example.org")

set(CPACK_DEBIAN_PARCD_PACKAGE_NAME parcd)
set(CPACK_DEBIAN_PARCD_DESCRIPTION
    "Parc server: device fleet and training of a city's staff\nparcd keeps the inventory, who has which device, the devices' check-ins and\nthe training each person follows; it serves the dashboard, the logistics\ndesk and the learner app for tablets.")
set(CPACK_DEBIAN_PARCD_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PARCD_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/parcd/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/parcd/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/parcd/postrm
    ${PROJECT_SOURCE_DIR}/deploy/debian/parcd/conffiles)
set(CPACK_DEBIAN_PARCD_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_PARC-AGENT_PACKAGE_NAME parc-agent)
set(CPACK_DEBIAN_PARC-AGENT_DESCRIPTION
    "Parc agent: check-ins and training content for a shared Linux PC\nparc-agent enrolls the PC with parcd, reports its state, works offline and\ndownloads the training its users must follow.")
set(CPACK_DEBIAN_PARC-AGENT_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/parc-agent/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/parc-agent/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/parc-agent/postrm)
set(CPACK_DEBIAN_PARC-AGENT_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_PARCCTL_PACKAGE_NAME parcctl)
set(CPACK_DEBIAN_PARCCTL_DESCRIPTION
    "Parc command line: inventory, hand-overs, imports and training\nparcctl does at the command line what the logistics desk and the dashboard\ndo in the browser, against a parcd server.")

include(CPack)
