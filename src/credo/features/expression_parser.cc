// Parser and printer of the feature-spec expressions (language in expression.h). The tree is a
// flat vector of nodes, children first, so copying an Expression is copying two vectors.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>

#include "credo/features/expression.h"
#include "credo/features/expression_node.h"

namespace credo {

using namespace expression_internal;

Expression::Expression() = default;
Expression::~Expression() = default;
Expression::Expression(const Expression&) = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(const Expression&) = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

// ---------------------------------------------------------------------------------------------
// Parsing: a recursive-descent parser over tokens read on demand, one level per precedence.

class ExpressionParser {
 public:
  ExpressionParser(std::string_view text, Expression& out) : text_(text), out_(out) {}

  Status run() {
    advance();
    int32_t root = parse_or();
    if (root >= 0 && token_.kind != Tok::kEnd) {
      if (token_.kind == Tok::kRightParen) fail(token_.offset, "')' without a matching '('");
      else fail(token_.offset, "expected an operator or the end of the expression but found " + describe(token_));
    }
    return error_;
  }

 private:
  enum class Tok {
    kEnd, kError, kNumber, kName, kText, kLeftParen, kRightParen, kComma,
    kPlus, kMinus, kStar, kSlash, kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual,
    kAnd, kOr, kNot,
  };
  struct Token {
    Tok kind = Tok::kEnd;
    size_t offset = 0;           // byte offset in text_
    std::string_view spelling;   // as written
    double number = 0;
  };
  using Node = Expression::Node;
  static constexpr const char* kTextRule = "text can only be compared with == or != to a categorical column";

  // 1-based character position of byte `offset` (UTF-8 continuation bytes do not count).
  int32_t position(size_t offset) const {
    int32_t chars = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) chars += (static_cast<uint8_t>(text_[i]) & 0xC0) != 0x80;
    return chars;
  }

  // Records the first error; returns -1, the "no node" of every parse function.
  int32_t fail(size_t offset, const std::string& message) {
    if (error_.ok()) error_ = Status::ParseError(at(position(offset)) + message);
    token_.kind = Tok::kError;
    return -1;
  }

  static std::string describe(const Token& t) {
    if (t.kind == Tok::kEnd) return "the end of the expression";
    std::string out = t.kind == Tok::kText ? "the text " : "'";
    out += t.spelling;
    if (t.kind != Tok::kText) out += '\'';
    return out;
  }

  static bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  void advance() {
    if (token_.kind == Tok::kError) return;
    size_t i = offset_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r')) ++i;
    token_ = Token{Tok::kEnd, i, {}, 0};
    if (i == text_.size()) {
      offset_ = i;
      return;
    }
    size_t end = i + 1;
    char c = text_[i];
    auto two = [&](char next) { return i + 1 < text_.size() && text_[i + 1] == next; };
    if (is_digit(c) || (c == '.' && i + 1 < text_.size() && is_digit(text_[i + 1]))) {
      end = lex_number(i);
      if (token_.kind == Tok::kError) return;
    } else if (is_name_start(c)) {
      while (end < text_.size() && (is_name_start(text_[end]) || is_digit(text_[end]))) ++end;
      std::string_view word = text_.substr(i, end - i);
      token_.kind = word == "and" ? Tok::kAnd : word == "or" ? Tok::kOr : word == "not" ? Tok::kNot : Tok::kName;
    } else if (c == '\'' || c == '"') {
      size_t close = text_.find(c, i + 1);
      if (close == std::string_view::npos) {
        fail(i, std::string("unterminated text: no closing ") + c);
        return;
      }
      end = close + 1;
      token_.kind = Tok::kText;
    } else if (c == '=' && two('=')) { token_.kind = Tok::kEqual; end = i + 2;
    } else if (c == '!' && two('=')) { token_.kind = Tok::kNotEqual; end = i + 2;
    } else if (c == '<' && two('=')) { token_.kind = Tok::kLessEqual; end = i + 2;
    } else if (c == '>' && two('=')) { token_.kind = Tok::kGreaterEqual; end = i + 2;
    } else if (c == '<') { token_.kind = Tok::kLess;
    } else if (c == '>') { token_.kind = Tok::kGreater;
    } else if (c == '(') { token_.kind = Tok::kLeftParen;
    } else if (c == ')') { token_.kind = Tok::kRightParen;
    } else if (c == ',') { token_.kind = Tok::kComma;
    } else if (c == '+') { token_.kind = Tok::kPlus;
    } else if (c == '-') { token_.kind = Tok::kMinus;
    } else if (c == '*') { token_.kind = Tok::kStar;
    } else if (c == '/') { token_.kind = Tok::kSlash;
    } else {
      std::string hint = c == '=' ? " (did you mean '=='?)" : c == '&' ? " (write 'and')"
                       : c == '|' ? " (write 'or')" : c == '!' ? " (write 'not' or '!=')" : "";
      size_t bytes = 1;  // name the whole UTF-8 character
      while (i + bytes < text_.size() && (static_cast<uint8_t>(text_[i + bytes]) & 0xC0) == 0x80) ++bytes;
      fail(i, "unexpected character '" + std::string(text_.substr(i, bytes)) + "'" + hint);
      return;
    }
    token_.spelling = text_.substr(i, end - i);
    offset_ = end;
  }

  // Digits [. digits] [e [+-] digits], or . digits; returns the end offset.
  size_t lex_number(size_t i) {
    size_t end = i;
    while (end < text_.size() && is_digit(text_[end])) ++end;
    if (end < text_.size() && text_[end] == '.') {
      ++end;
      while (end < text_.size() && is_digit(text_[end])) ++end;
    }
    if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
      size_t exponent = end + 1;
      if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) ++exponent;
      if (exponent < text_.size() && is_digit(text_[exponent])) {
        end = exponent;
        while (end < text_.size() && is_digit(text_[end])) ++end;
      }
    }
    size_t word_end = end;
    while (word_end < text_.size() && (is_name_start(text_[word_end]) || is_digit(text_[word_end]) || text_[word_end] == '.')) ++word_end;
    if (word_end != end) {
      fail(i, "malformed number '" + std::string(text_.substr(i, word_end - i)) + "'");
      return end;
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(text_.data() + i, text_.data() + end, value);
    if (ec != std::errc() || !std::isfinite(value)) {
      fail(i, "number '" + std::string(text_.substr(i, end - i)) + "' is out of range");
      return end;
    }
    token_.kind = Tok::kNumber;
    token_.number = value;
    return end;
  }

  int32_t add(Node node) {
    out_.nodes_.push_back(std::move(node));
    return static_cast<int32_t>(out_.nodes_.size() - 1);
  }
  int32_t add(Op op, size_t offset, std::vector<int32_t> args) {
    Node node;
    node.op = op;
    node.position = position(offset);
    node.args = std::move(args);
    return add(std::move(node));
  }
  int32_t column_index(std::string_view name) {
    auto& columns = out_.columns_;
    auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end()) it = columns.insert(columns.end(), std::string(name));
    return static_cast<int32_t>(it - columns.begin());
  }

  // Binary operators of one precedence level, left-associative.
  template <typename Next>
  int32_t parse_left_assoc(Next next, std::initializer_list<std::pair<Tok, Op>> operators) {
    int32_t left = next();
    while (left >= 0) {
      const std::pair<Tok, Op>* match = nullptr;
      for (const auto& p : operators) {
        if (p.first == token_.kind) match = &p;
      }
      if (match == nullptr) break;
      size_t start = token_.offset;
      advance();
      int32_t right = next();
      if (right < 0) return -1;
      left = add(match->second, start, {left, right});
      out_.nodes_[left].position = out_.nodes_[out_.nodes_[left].args[0]].position;
    }
    return left;
  }

  int32_t parse_or() { return parse_left_assoc([&] { return parse_and(); }, {{Tok::kOr, Op::kOr}}); }
  int32_t parse_and() { return parse_left_assoc([&] { return parse_not(); }, {{Tok::kAnd, Op::kAnd}}); }

  int32_t parse_not() {
    if (token_.kind != Tok::kNot) return parse_comparison();
    size_t start = token_.offset;
    advance();
    int32_t operand = parse_not();
    return operand < 0 ? -1 : add(Op::kNot, start, {operand});
  }

  // One side of a comparison: a text literal (kept aside, it makes no node) or a sum.
  struct ComparisonSide {
    int32_t node = -1;
    bool is_text = false;
    std::string text;
    size_t offset = 0;
  };
  ComparisonSide parse_comparison_side() {
    ComparisonSide side;
    side.offset = token_.offset;
    if (token_.kind == Tok::kText) {
      side.is_text = true;
      side.text = std::string(token_.spelling.substr(1, token_.spelling.size() - 2));
      advance();
      Tok next = token_.kind;
      if (next == Tok::kPlus || next == Tok::kMinus || next == Tok::kStar || next == Tok::kSlash) {
        fail(side.offset, kTextRule);
      }
      return side;
    }
    side.node = parse_sum();
    return side;
  }

  static std::optional<Op> comparison_op(Tok kind) {
    switch (kind) {
      case Tok::kEqual: return Op::kEqual;
      case Tok::kNotEqual: return Op::kNotEqual;
      case Tok::kLess: return Op::kLess;
      case Tok::kLessEqual: return Op::kLessEqual;
      case Tok::kGreater: return Op::kGreater;
      case Tok::kGreaterEqual: return Op::kGreaterEqual;
      default: return std::nullopt;
    }
  }

  int32_t parse_comparison() {
    ComparisonSide left = parse_comparison_side();
    if (!left.is_text && left.node < 0) return -1;
    std::optional<Op> op = comparison_op(token_.kind);
    if (!op) return left.is_text ? fail(left.offset, kTextRule) : left.node;
    size_t op_offset = token_.offset;
    advance();
    ComparisonSide right = parse_comparison_side();
    if (!error_.ok()) return -1;
    if (comparison_op(token_.kind)) {
      return fail(token_.offset, "comparisons do not chain: write 'a < b and b < c'");
    }
    if (!left.is_text && !right.is_text) {
      int32_t node = add(*op, left.offset, {left.node, right.node});
      out_.nodes_[node].position = out_.nodes_[left.node].position;
      return node;
    }
    if (*op != Op::kEqual && *op != Op::kNotEqual) return fail(op_offset, kTextRule);
    const ComparisonSide& text = left.is_text ? left : right;
    const ComparisonSide& other = left.is_text ? right : left;
    if (other.is_text || out_.nodes_[other.node].op != Op::kColumn) return fail(other.offset, kTextRule);
    // The column node becomes the comparison: it was the last node added.
    Node& node = out_.nodes_[other.node];
    node.op = *op == Op::kEqual ? Op::kTextEqual : Op::kTextNotEqual;
    node.text = text.text;
    node.position = position(std::min(left.offset, right.offset));
    return other.node;
  }

  int32_t parse_sum() {
    return parse_left_assoc([&] { return parse_product(); },
                            {{Tok::kPlus, Op::kAdd}, {Tok::kMinus, Op::kSubtract}});
  }
  int32_t parse_product() {
    return parse_left_assoc([&] { return parse_unary(); },
                            {{Tok::kStar, Op::kMultiply}, {Tok::kSlash, Op::kDivide}});
  }

  int32_t parse_unary() {
    if (token_.kind == Tok::kPlus) {
      advance();
      return parse_unary();
    }
    if (token_.kind != Tok::kMinus) return parse_primary();
    size_t start = token_.offset;
    advance();
    int32_t operand = parse_unary();
    if (operand < 0) return -1;
    Node& node = out_.nodes_[operand];
    if (node.op == Op::kNumber) {  // -1.5 is a number, not an operation
      node.number = -node.number;
      node.position = position(start);
      return operand;
    }
    return add(Op::kNegate, start, {operand});
  }

  int32_t parse_primary() {
    Token t = token_;
    switch (t.kind) {
      case Tok::kNumber: {
        advance();
        Node node;
        node.op = Op::kNumber;
        node.position = position(t.offset);
        node.number = t.number;
        return add(std::move(node));
      }
      case Tok::kName: {
        advance();
        if (token_.kind == Tok::kLeftParen) return parse_call(t);
        Node node;
        node.op = Op::kColumn;
        node.position = position(t.offset);
        node.column = column_index(t.spelling);
        return add(std::move(node));
      }
      case Tok::kLeftParen: {
        advance();
        int32_t inner = parse_or();
        if (inner < 0) return -1;
        if (token_.kind != Tok::kRightParen) {
          return fail(token_.offset, "expected ')' to close the '(' at character " +
                                         std::to_string(position(t.offset)) + " but found " + describe(token_));
        }
        advance();
        return inner;
      }
      case Tok::kText:
        return fail(t.offset, kTextRule);
      case Tok::kError:
        return -1;
      default:
        return fail(t.offset, "expected a column name, a number or '(' but found " + describe(t));
    }
  }

  int32_t parse_call(const Token& name) {
    const FunctionInfo* function = find_function(name.spelling);
    if (function == nullptr) {
      std::string known;
      for (const auto& f : kFunctions) known += (known.empty() ? "" : ", ") + std::string(f.name);
      return fail(name.offset, "unknown function '" + std::string(name.spelling) + "' (the functions are " + known + ")");
    }
    size_t open = token_.offset;
    advance();  // (
    std::vector<int32_t> args;
    if (token_.kind != Tok::kRightParen) {
      while (true) {
        int32_t arg = parse_or();
        if (arg < 0) return -1;
        args.push_back(arg);
        if (token_.kind == Tok::kComma) {
          advance();
          continue;
        }
        if (token_.kind == Tok::kRightParen) break;
        return fail(token_.offset, "expected ',' or ')' in the arguments of " + std::string(function->name) +
                                       "() opened at character " + std::to_string(position(open)) +
                                       " but found " + describe(token_));
      }
    }
    advance();  // )
    int count = static_cast<int>(args.size());
    if (count < function->min_args || (function->max_args >= 0 && count > function->max_args)) {
      std::string wanted = function->max_args == function->min_args ? std::to_string(function->min_args)
                           : function->max_args < 0 ? "at least " + std::to_string(function->min_args)
                           : std::to_string(function->min_args) + " to " + std::to_string(function->max_args);
      bool singular = (function->max_args < 0 ? function->min_args : function->max_args) == 1;
      return fail(name.offset, std::string(function->name) + "() takes " + wanted + " argument" +
                                   (singular ? "" : "s") + " but got " + std::to_string(count));
    }
    if (function->op == Op::kIsMissing && out_.nodes_[args[0]].op == Op::kColumn) {
      out_.nodes_[args[0]].missing_test_only = true;
    }
    return add(function->op, name.offset, std::move(args));
  }

  std::string_view text_;
  Expression& out_;
  size_t offset_ = 0;  // where the next token starts
  Token token_;        // the current token
  Status error_;
};

StatusOr<Expression> Expression::parse(std::string_view text) {
  Expression expression;
  Status status = ExpressionParser(text, expression).run();
  if (!status.ok()) return status;
  return expression;
}

// ---------------------------------------------------------------------------------------------
// Printing.

namespace {

using Node = Expression::Node;

// Binding strength for parenthesising: or 1, and 2, not 3, comparisons 4, + - 5, * / 6,
// unary minus (and negative numbers) 7, names, calls and other numbers 8.
int precedence(const Node& node) {
  switch (node.op) {
    case Op::kOr: return 1;
    case Op::kAnd: return 2;
    case Op::kNot: return 3;
    case Op::kAdd: case Op::kSubtract: return 5;
    case Op::kMultiply: case Op::kDivide: return 6;
    case Op::kNegate: return 7;
    case Op::kNumber: return std::signbit(node.number) ? 7 : 8;
    default: return is_comparison(node.op) ? 4 : 8;
  }
}

// Shortest text that reads back to the same double, but whole numbers in full (100000, not
// 1e+05): spec authors write day counts and amounts that way.
void print_number(double value, std::string& out) {
  char buf[64];
  bool whole = value == std::trunc(value) && std::fabs(value) < 1e15;
  auto [end, ec] = whole ? std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 0)
                         : std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void print(const std::vector<Node>& nodes, const std::vector<std::string>& columns, int32_t index, std::string& out) {
  const Node& node = nodes[index];
  auto operand = [&](int32_t child, bool parenthesise) {
    if (parenthesise) out += '(';
    print(nodes, columns, child, out);
    if (parenthesise) out += ')';
  };
  switch (node.op) {
    case Op::kNumber: print_number(node.number, out); return;
    case Op::kColumn: out += columns[node.column]; return;
    case Op::kTextEqual:
    case Op::kTextNotEqual: {
      char quote = node.text.find('\'') == std::string::npos ? '\'' : '"';
      out += columns[node.column] + " " + std::string(operator_text(node.op)) + " " + quote + node.text + quote;
      return;
    }
    case Op::kNegate:
      out += '-';
      operand(node.args[0], precedence(nodes[node.args[0]]) < 8);
      return;
    case Op::kNot:
      out += "not ";
      operand(node.args[0], precedence(nodes[node.args[0]]) < 3);
      return;
    default: break;
  }
  if (const FunctionInfo* function = find_function(node.op)) {
    out += function->name;
    out += '(';
    for (size_t i = 0; i < node.args.size(); ++i) {
      if (i) out += ", ";
      print(nodes, columns, node.args[i], out);
    }
    out += ')';
    return;
  }
  // Binary: the left side needs parentheses if it binds looser (or, for the non-associative
  // comparisons, as loose); the right side if it binds as loose, since all associate left.
  int level = precedence(node);
  int left_level = precedence(nodes[node.args[0]]);
  operand(node.args[0], left_level < level || (level == 4 && left_level == 4));
  out += ' ';
  out += operator_text(node.op);
  out += ' ';
  operand(node.args[1], precedence(nodes[node.args[1]]) <= level);
}

}  // namespace

std::string Expression::to_string() const {
  std::string out;
  if (!nodes_.empty()) print(nodes_, columns_, static_cast<int32_t>(nodes_.size() - 1), out);
  return out;
}

}  // namespace credo
