// Fast CSV field formatting in the exact style of the Kaggle files (pandas to_csv):
// ints as integers, floats as Python's repr ("202500.0", "-3648.0", "0.018801",
// "1.67069e-05"), an empty field for missing, text quoted when it holds a comma or quote.
// std::to_chars only: the generator writes ~2.7 GB through these functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace credo::synth {

void append_int(std::string& out, int64_t value);
// `decimals` >= 0: the value rounded to that many decimals, trailing zeros dropped but at
// least one kept ("0.5", "12.0"); -1: the shortest text that reads back as the same double.
// Both equal Python's repr of the rounded value. NaN writes nothing (a missing field).
void append_float(std::string& out, double value, int decimals);
// Returns `text` as one CSV field: unchanged, or quoted with inner quotes doubled.
std::string csv_field(std::string_view text);

}  // namespace credo::synth
