// For tests: one harness for the data-driven case files (CSV dialects, expressions, posted
// applications, MLflow bodies, run filters), so adding a case means adding lines to a file and
// every failure names the file and line of the case.
//
// The format, the same in every case file:
//   # a comment          skipped (kept in a body only with CaseFileOptions::verbatim_body)
//   ### TITLE            starts a case
//   @NAME VALUE          a named field of the case (VALUE: the rest of the line, may be empty)
//   >>> TEXT             an expectation (">>>" alone: TEXT is empty); the lines after it that
//                        are neither blank nor comments, up to the next ">>>" or "###", are its
//                        block (an expected table)
//   any other line       the case's body, in order (blank lines skipped by default)
// What a field, a body or an expectation means is the test's: the harness only cuts the file.
#pragma once

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace credo {

struct CaseLine {
  int line = 0;      // 1-based line number in the case file
  std::string text;  // as written, without the newline
};

struct CaseExpectation {
  CaseLine head;                // the text after ">>> "
  std::vector<CaseLine> block;  // the lines under it
};

struct TestCase {
  std::string file;  // the case file's name, for messages
  int line = 0;      // the line of "### TITLE"
  std::string title;
  std::vector<std::pair<std::string, CaseLine>> fields;  // "@NAME VALUE", in order
  std::vector<CaseLine> body;
  std::vector<CaseExpectation> expectations;

  // "csv_cases.txt:12: quoted fields": what a SCOPED_TRACE of the case says.
  std::string where() const { return file + ":" + std::to_string(line) + ": " + title; }
  // The value of the last field NAME, or nullptr.
  const std::string* field(std::string_view name) const {
    for (auto it = fields.rbegin(); it != fields.rend(); ++it)
      if (it->first == name) return &it->second.text;
    return nullptr;
  }
  // The body lines joined with newlines (no newline after the last).
  std::string body_text() const {
    std::string out;
    for (const auto& l : body) out += (&l == &body.front() ? "" : "\n") + l.text;
    return out;
  }
};

struct CaseFileOptions {
  // Keep blank lines and '#' lines in bodies (a CSV input may hold either).
  bool verbatim_body = false;
};

// The cases of `path`, relative to the source tree (src/credo/data/testdata/csv_cases.txt). A
// file that cannot be read, a line before the first case that is neither blank nor a comment,
// or a case without an expectation is a test failure naming the file and line.
inline std::vector<TestCase> load_case_file(const std::string& path, CaseFileOptions options = {}) {
  std::vector<TestCase> cases;
  std::ifstream in(std::string(CREDO_SOURCE_DIR) + "/" + path);
  if (!in) {
    ADD_FAILURE() << path << ": cannot read the case file";
    return cases;
  }
  const std::string file = path.substr(path.rfind('/') + 1);
  std::string text;
  int number = 0;
  auto starts = [&](std::string_view prefix) { return text.compare(0, prefix.size(), prefix) == 0; };
  while (std::getline(in, text)) {
    ++number;
    bool blank = text.find_first_not_of(" \t\r") == std::string::npos;
    if (starts("### ")) {
      TestCase c;
      c.file = file, c.line = number, c.title = text.substr(4);
      cases.push_back(std::move(c));
      continue;
    }
    if (cases.empty()) {
      if (!blank && !starts("#")) ADD_FAILURE() << file << ":" << number << ": a line before the first case: " << text;
      continue;
    }
    TestCase& c = cases.back();
    if (starts(">>>")) {
      c.expectations.push_back({{number, text.size() > 3 && text[3] == ' ' ? text.substr(4) : text.substr(3)}, {}});
    } else if (!c.expectations.empty()) {
      if (!blank && !starts("#")) c.expectations.back().block.push_back({number, text});
    } else if (starts("@")) {
      size_t space = text.find(' ');
      c.fields.push_back({text.substr(1, space == std::string::npos ? std::string::npos : space - 1),
                          {number, space == std::string::npos ? "" : text.substr(space + 1)}});
    } else if (options.verbatim_body || (!blank && !starts("#"))) {
      c.body.push_back({number, text});
    }
  }
  for (const auto& c : cases)
    if (c.expectations.empty()) ADD_FAILURE() << c.where() << ": a case without a '>>>' expectation";
  return cases;
}

}  // namespace credo
