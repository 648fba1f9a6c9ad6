#pragma once
// Small text helpers for the backends: base64, a stable content hash, template filling.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace idm::infer {

std::string base64_encode(std::string_view bytes);

// FNV-1a 64-bit as 16 hex digits: names a prompt's exact text in run.json.
std::string content_hash(std::string_view text);

// Replaces every {{name}} with its value; unknown names stay as they are.
std::string fill_template(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace idm::infer
