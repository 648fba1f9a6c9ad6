#pragma once
// The few Python behaviours that the reference scorer's rules depend on, written for C++.
// Each function names the Python expression it reproduces.
#include <cstdint>
#include <string>
#include <string_view>

namespace idm::py {

// str.strip(): removes leading/trailing Unicode white space (UTF-8 input).
std::string_view strip(std::string_view text);

// str.upper() / str.lower() for ASCII letters; other bytes are left alone.
std::string ascii_upper(std::string_view text);
std::string ascii_lower(std::string_view text);

// len(text) in code points for UTF-8 input (invalid bytes count as one each).
size_t code_point_count(std::string_view text);

// int(text) for base 10: surrounding white space, optional sign, ASCII digits with single '_'
// between digits. Returns false if Python would raise. A value beyond int64 (Python's ints
// are unbounded) saturates when `saturate` is set, and fails otherwise.
bool parse_int(std::string_view text, int64_t& out, bool saturate = false);

// float(text): white space, sign, digits with '_' between digits, '.', exponent, inf/nan.
bool parse_float(std::string_view text, double& out);

// repr(float) / str(float): shortest round-trip digits, Python's fixed/scientific switch.
std::string float_repr(double value);

// repr(str): single quotes unless the text holds ' and no ", with Python's escapes.
std::string string_repr(std::string_view text);

// round(value, ndigits) for floats: nearest multiple of 10^-ndigits of the exact binary
// value, ties to even.
double round_to_digits(double value, int ndigits);

}  // namespace idm::py
