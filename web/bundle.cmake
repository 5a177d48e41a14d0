# The dashboard's bundle (web/): `npm ci` from the committed package-lock.json, then esbuild
# (web/build.mjs) writes dashboard.js, dashboard.css and index.html into CREDO_WEB_BUNDLE_DIR,
# which serve/dashboard_assets.cc embeds. Node and npm are needed at build time only; without
# them web/build.sh fails the build saying how to install them.
set(CREDO_WEB_DIR ${CMAKE_CURRENT_SOURCE_DIR}/web)
set(CREDO_WEB_BUNDLE_DIR ${CMAKE_CURRENT_BINARY_DIR}/web)
set(CREDO_WEB_BUNDLE ${CREDO_WEB_BUNDLE_DIR}/dashboard.js ${CREDO_WEB_BUNDLE_DIR}/dashboard.css
    ${CREDO_WEB_BUNDLE_DIR}/index.html)
file(GLOB_RECURSE CREDO_WEB_SOURCES CONFIGURE_DEPENDS ${CREDO_WEB_DIR}/src/*)
add_custom_command(
  OUTPUT ${CREDO_WEB_BUNDLE}
  COMMAND bash ${CREDO_WEB_DIR}/build.sh ${CREDO_WEB_BUNDLE_DIR}
  DEPENDS ${CREDO_WEB_SOURCES} ${CREDO_WEB_DIR}/build.sh ${CREDO_WEB_DIR}/build.mjs ${CREDO_WEB_DIR}/package.json
          ${CREDO_WEB_DIR}/package-lock.json
  COMMENT "Bundling the dashboard (web/: npm ci, esbuild)"
  VERBATIM)
add_custom_target(credo_web_bundle DEPENDS ${CREDO_WEB_BUNDLE})
