// Rows as arrays of doubles (see column_model.h) and their CSV text: the generic marginal
// draw every generator starts from, and the one writer of every synthetic line.
#pragma once

#include <string>
#include <vector>

#include "credo/base/random.h"
#include "credo/synth/column_model.h"

namespace credo::synth {

// The average month in days, for turning day offsets into month offsets (the Kaggle files count both).
inline constexpr double kDaysPerMonth = 30.4375;

// Draws every column independently from its profile marginal, with the table's
// missing-together plan.
void draw_marginal_row(const TableModel& model, Rng& rng, std::vector<double>& values,
                       std::vector<uint8_t>& missing_scratch);

// Appends one CSV line (with '\n') for `values`, from column `first_column` on.
void append_csv_row(const TableModel& model, const double* values, std::string& out, int first_column = 0);

// The header line of a Kaggle file (with '\n'), from homecredit_schema().
std::string csv_header(HcTable table);

}  // namespace credo::synth
