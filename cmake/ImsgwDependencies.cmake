# Third-party libraries, all found through pkg-config.  A missing one stops the
# configure step with the Debian package that provides it (deploy/install-deps.sh
# installs them all).
find_package(PkgConfig REQUIRED)
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)

# imsgw_require(<var> <pkg-config module> <debian package>)
function(imsgw_require var module debpkg)
  pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR
      "imsgw: required library '${module}' not found by pkg-config.\n"
      "On Debian install it with:  apt-get install ${debpkg}\n"
      "(or run deploy/install-deps.sh, which installs everything imsgw needs)")
  endif()
  message(STATUS "imsgw: ${module} ${${var}_VERSION}")
endfunction()

imsgw_require(MHD     libmicrohttpd    libmicrohttpd-dev)
# libmicrohttpd on Debian is built on GnuTLS; the listener verifies client
# certificates through the GnuTLS session MHD exposes.
imsgw_require(GNUTLS  gnutls           libgnutls28-dev)
imsgw_require(LIBXML2 libxml-2.0       libxml2-dev)
imsgw_require(XMLSEC  xmlsec1-openssl  libxmlsec1-dev)
imsgw_require(OPENSSL openssl          libssl-dev)
imsgw_require(GSOAP   gsoapssl         libgsoap-dev)
