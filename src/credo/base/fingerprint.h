// Content fingerprints (XXH3, 128 bits, as 32 hex digits) that tie a run to the exact data it read
// and let a registered model check that its files are the ones registered.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "credo/base/status.h"

namespace credo {

// Fingerprint of a byte string.
std::string fingerprint_bytes(std::string_view bytes);
// Fingerprint of a file's content, read in large blocks.
StatusOr<std::string> fingerprint_file(const std::filesystem::path& path);
// Fingerprint of a folder: every regular file's path relative to `dir` and its content, in
// sorted path order, so the same tree gives the same value wherever it lies.
StatusOr<std::string> fingerprint_tree(const std::filesystem::path& dir);

}  // namespace credo
