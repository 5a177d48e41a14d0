// Pins the case-file harness every data-driven test reads through: fields, bodies (with and
// without verbatim lines), expectations with their blocks, and the file:line each case names.
#include "credo/base/case_file_testing.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace credo {
namespace {

constexpr const char* kFormatFile = "src/credo/base/testdata/case_file_format.txt";

TEST(CaseFileTest, CutsCasesIntoFieldsBodiesAndExpectations) {
  auto cases = load_case_file(kFormatFile);
  ASSERT_EQ(cases.size(), 2u);
  const TestCase& first = cases[0];
  EXPECT_EQ(first.where(), "case_file_format.txt:4: a case with fields, a body and two expectations");
  ASSERT_NE(first.field("name"), nullptr);
  EXPECT_EQ(*first.field("name"), "first value");
  ASSERT_NE(first.field("flag"), nullptr);
  EXPECT_EQ(*first.field("flag"), "");
  EXPECT_EQ(first.field("absent"), nullptr);
  EXPECT_EQ(first.body_text(), "body line one\n  body line two, indented");
  EXPECT_EQ(first.body[1].line, 9);
  ASSERT_EQ(first.expectations.size(), 2u);
  EXPECT_EQ(first.expectations[0].head.text, "error: something");
  EXPECT_EQ(first.expectations[0].head.line, 11);
  EXPECT_EQ(first.expectations[1].head.text, "second");

  const TestCase& second = cases[1];
  EXPECT_EQ(second.body_text(), "verbatim");
  ASSERT_EQ(second.expectations.size(), 1u);
  EXPECT_EQ(second.expectations[0].head.text, "");
  ASSERT_EQ(second.expectations[0].block.size(), 2u);
  EXPECT_EQ(second.expectations[0].block[0].text, "table line 1");
  EXPECT_EQ(second.expectations[0].block[1].text, "table line 2");
  EXPECT_EQ(second.expectations[0].block[1].line, 22);
}

TEST(CaseFileTest, VerbatimBodiesKeepBlankAndCommentLines) {
  auto cases = load_case_file(kFormatFile, {.verbatim_body = true});
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].body_text(), "body line one\n# a comment inside the body\n  body line two, indented\n");
  EXPECT_EQ(cases[1].body_text(), "verbatim\n\n# kept only with verbatim_body");
  EXPECT_EQ(cases[1].expectations[0].block.size(), 2u);  // blocks never keep comments
}

TEST(CaseFileTest, AFileThatCannotBeReadFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(load_case_file("src/credo/base/testdata/no_such_cases.txt"),
                          "no_such_cases.txt: cannot read the case file");
}

}  // namespace
}  // namespace credo
