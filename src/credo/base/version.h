// credo's version, recorded with every run and model so a result can be traced to the code that made it.
#pragma once

namespace credo {

// "0.1.0", from the project version in CMakeLists.txt.
const char* credo_version();

}  // namespace credo
