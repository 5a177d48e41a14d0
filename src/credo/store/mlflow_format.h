// The text formats of MLflow's file store, written byte for byte as MLflow's Python writes them,
// so an exported `mlruns/` folder reads back as if MLflow had made it: meta.yaml files
// (yaml.safe_dump with sort_keys, no YAML library needed for flat key: value files), metric
// values (Python's repr of a float) and file:// URIs (pathlib's as_uri).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace credo::store {

// A string as PyYAML's safe_dump writes it: plain when YAML reads it back as that same string,
// else single-quoted ('it''s', '0', 'yes', '', ': x'), else double-quoted with escapes (tabs,
// control characters, line breaks). Bytes that are not UTF-8 are read as Latin-1 and escaped.
// Differences from PyYAML, none of which change what a YAML reader gets: no folding of long
// lines at 80 columns, and double quotes (not a quoted multi-line block) for text with line breaks.
std::string yaml_scalar(std::string_view text);

// A YAML sequence of strings as a mapping value: "[]" when empty, else "\n- a\n- b".
std::string yaml_string_list(const std::vector<std::string>& items);
// A YAML mapping of strings as a mapping value: "{}" when empty, else "\n  k: v" lines.
std::string yaml_string_map(const std::map<std::string, std::string>& entries);

// One `key: value` line of a meta.yaml; `value` is rendered already (yaml_scalar, "null",
// a number, yaml_string_list...).
struct YamlField {
  std::string key;
  std::string value;
};
// The fields as one YAML document, sorted by key as MLflow's write_yaml (sort_keys=True) does.
std::string yaml_document(std::vector<YamlField> fields);

// Python's repr() of a float: the shortest text that reads back as `value` ("0.5", "1.0",
// "1e-05", "1e+16", "nan", "inf", "-inf"), the form MLflow writes in metric files.
std::string python_float_repr(double value);

// file:// URI of an absolute path, percent-encoding as Python's pathlib.Path.as_uri()
// ("/tmp/my runs" -> "file:///tmp/my%20runs").
std::string file_uri(const std::filesystem::path& absolute_path);

}  // namespace credo::store
