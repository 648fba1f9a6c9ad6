#pragma once
// Shared helpers for the core tests: loading vector files and converting results to JSON
// so they compare directly against the expected values.
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/actions.hpp"

namespace idm::test {

inline std::string vectors_path(const std::string& name) { return std::string(IDMSCOPE_VECTORS_DIR) + "/" + name; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline nlohmann::json load_json(const std::string& path) { return nlohmann::json::parse(read_text(path)); }

inline nlohmann::json actions_json(const std::vector<Action>& actions) {
  nlohmann::json out = nlohmann::json::array();
  for (const Action& action : actions) {
    out.push_back({{"frame", action.frame}, {"type", action_type_name(action.type)}, {"detail", action.detail}});
  }
  return out;
}

inline std::vector<Action> actions_from_json(const nlohmann::json& items) {
  std::vector<Action> out;
  for (const auto& item : items) {
    Action action;
    action.frame = item.at("frame").get<int>();
    REQUIRE_MESSAGE(parse_action_type(item.at("type").get<std::string>(), action.type), item.dump());
    action.detail = item.at("detail").get<std::string>();
    out.push_back(action);
  }
  return out;
}

// Parses JSON text with simdjson, keeping the parser alive for the element's lifetime.
struct SimdDocument {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  explicit SimdDocument(const std::string& text) { root = parser.parse(text).value(); }
};

}  // namespace idm::test
