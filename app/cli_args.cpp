#include "cli_args.hpp"

#include <charconv>

namespace idm::cli {

Args::Args(int argc, char** argv, int first) {
  bool options_ended = false;
  for (int i = first; i < argc; ++i) {
    std::string item = argv[i];
    if (options_ended) {
      items_.push_back(item);
      literal_.push_back(true);
    } else if (item == "--") {
      options_ended = true;  // everything after it is positional, even "--name" or "--help"
    } else if (item == "--help" || item == "-h") {
      help_ = true;
    } else {
      items_.push_back(item);
      literal_.push_back(false);
    }
  }
  used_.assign(items_.size(), false);
}

bool Args::flag(const std::string& name) {
  bool found = false;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (!used_[i] && !literal_[i] && items_[i] == name) used_[i] = found = true;
  }
  return found;
}

std::vector<std::string> Args::values(const std::string& name) {
  std::vector<std::string> out;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (used_[i] || literal_[i]) continue;
    if (items_[i] == name) {
      if (i + 1 >= items_.size() || literal_[i + 1]) throw UsageError{name + " needs a value"};
      used_[i] = used_[i + 1] = true;
      out.push_back(items_[i + 1]);
      ++i;
    } else if (items_[i].starts_with(name + "=")) {
      used_[i] = true;
      out.push_back(items_[i].substr(name.size() + 1));
    }
  }
  return out;
}

std::optional<std::string> Args::value(const std::string& name) {
  auto all = values(name);
  if (all.empty()) return std::nullopt;
  return all.back();
}

int Args::int_value(const std::string& name, int fallback, int min, int max) {
  auto text = value(name);
  if (!text) return fallback;
  int parsed = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), parsed);
  if (error != std::errc() || end != text->data() + text->size() || parsed < min || parsed > max) {
    throw UsageError{name + " expects an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                     ", got '" + *text + "'"};
  }
  return parsed;
}

std::vector<std::string> Args::positionals() {
  std::vector<std::string> out;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (!used_[i] && (literal_[i] || !items_[i].starts_with("--"))) {
      used_[i] = true;
      out.push_back(items_[i]);
    }
  }
  return out;
}

void Args::finish() {
  for (size_t i = 0; i < items_.size(); ++i) {
    if (!used_[i]) throw UsageError{"unexpected argument '" + items_[i] + "' (see --help)"};
  }
}

}  // namespace idm::cli
