// What the store commands share: the --store flag (with CREDO_STORE and ./credo-store behind it),
// opening the store, and how this process's command line is recorded as a run's source.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "credo/store/store.h"

namespace credo::cli {

// Adds `--store DIR` to `cmd`, writing into `dir`.
void add_store_flag(CLI::App* cmd, std::string& dir);

// Opens the store named by the flag (or CREDO_STORE, or ./credo-store). Readers pass create =
// false so a mistyped path is an error rather than a new empty store.
StatusOr<std::unique_ptr<store::Store>> open_command_store(const std::string& flag, bool create);

// The bundle folder a --model flag names: a models:/ or runs:/ URI resolved in the store the
// --store flag names, or a bundle folder on disk.
StatusOr<std::filesystem::path> resolve_model_flag(const std::string& model, const std::string& store_flag);

// This process's command line, as typed ("credo features --data demo/data ...").
std::string this_command_line();

}  // namespace credo::cli
