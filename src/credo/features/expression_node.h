// Internal to the expression language: the node of the flattened tree and the tables of
// functions and operators, shared by the parser (expression_parser.cc) and the evaluator
// (expression_eval.cc).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "credo/features/expression.h"

namespace credo {

struct Expression::Node {
  enum class Op : uint8_t {
    kNumber, kColumn, kTextEqual, kTextNotEqual,
    kNegate, kAdd, kSubtract, kMultiply, kDivide,
    kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual,
    kAnd, kOr, kNot,
    kMin, kMax, kAbs, kLog1p, kSqrt, kSum, kMean, kStd, kIsMissing, kIf,
  };
  Op op = Op::kNumber;
  int32_t position = 0;            // 1-based character where the node starts (for messages)
  double number = 0;               // kNumber
  int32_t column = -1;             // kColumn, kText*: index into columns_
  std::string text;                // kText*: the literal, without quotes
  bool missing_test_only = false;  // kColumn read only by is_missing(): may be categorical
  std::vector<int32_t> args;       // operands: indices of earlier nodes
};

namespace expression_internal {

using Node = Expression::Node;
using Op = Expression::Node::Op;
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct FunctionInfo {
  std::string_view name;
  Op op;
  int min_args;
  int max_args;  // -1 = any number
};
constexpr FunctionInfo kFunctions[] = {
    {"min", Op::kMin, 2, -1},   {"max", Op::kMax, 2, -1},   {"abs", Op::kAbs, 1, 1},
    {"log1p", Op::kLog1p, 1, 1}, {"sqrt", Op::kSqrt, 1, 1},  {"sum", Op::kSum, 1, -1},
    {"mean", Op::kMean, 1, -1}, {"std", Op::kStd, 1, -1},   {"is_missing", Op::kIsMissing, 1, 1},
    {"if", Op::kIf, 3, 3},
};

inline const FunctionInfo* find_function(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}
inline const FunctionInfo* find_function(Op op) {
  for (const auto& f : kFunctions) {
    if (f.op == op) return &f;
  }
  return nullptr;
}

inline bool is_comparison(Op op) {
  return (op >= Op::kEqual && op <= Op::kGreaterEqual) || op == Op::kTextEqual || op == Op::kTextNotEqual;
}

inline std::string_view operator_text(Op op) {
  switch (op) {
    case Op::kAdd: return "+";
    case Op::kSubtract: return "-";
    case Op::kMultiply: return "*";
    case Op::kDivide: return "/";
    case Op::kEqual: case Op::kTextEqual: return "==";
    case Op::kNotEqual: case Op::kTextNotEqual: return "!=";
    case Op::kLess: return "<";
    case Op::kLessEqual: return "<=";
    case Op::kGreater: return ">";
    case Op::kGreaterEqual: return ">=";
    case Op::kAnd: return "and";
    case Op::kOr: return "or";
    default: return "?";
  }
}

inline std::string at(int32_t position) { return "at character " + std::to_string(position) + ": "; }

}  // namespace expression_internal

}  // namespace credo
