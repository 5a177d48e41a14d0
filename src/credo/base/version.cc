// The version string compiled into the library.
#include "credo/base/version.h"

namespace credo {

const char* credo_version() { return CREDO_VERSION; }

}  // namespace credo
