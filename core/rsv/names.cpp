#include "rsv/names.hpp"

#include <cctype>
#include <charconv>

namespace idm::rsv {

namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool parse_tid(std::string_view text, int64_t& out) {
  if (!all_digits(text) || text.size() > 18) return false;
  auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), out);
  return code == std::errc() && end == text.data() + text.size();
}

// "<TID>" or "<TID>_<modality>": splits off a modality suffix when present.
bool split_tid_and_modality(std::string_view rest, int64_t& tid, std::string& modality) {
  size_t underscore = rest.find('_');
  std::string_view digits = rest.substr(0, underscore);
  if (!parse_tid(digits, tid)) return false;
  if (underscore == std::string_view::npos) return true;
  modality = std::string(rest.substr(underscore + 1));
  if (modality.empty()) return false;
  for (char c : modality) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::optional<RsvName> parse_rsv_name(std::string_view file_name, std::string& why) {
  RsvName name;
  std::string_view rest = file_name;
  if (rest.ends_with("_meta.json")) {
    name.kind = FileKind::Meta;
    rest.remove_suffix(10);
  } else if (rest.ends_with(".mp4")) {
    name.kind = FileKind::Video;
    rest.remove_suffix(4);
  } else {
    why = "not an .mp4 or _meta.json file";
    return std::nullopt;
  }
  size_t split = rest.rfind("__");
  if (split == std::string_view::npos) {
    why = "no '__' between run_<RUN> and traj_/pair_";
    return std::nullopt;
  }
  std::string_view left = rest.substr(0, split);
  std::string_view right = rest.substr(split + 2);
  if (!left.starts_with("run_") || left.size() == 4) {
    why = "does not start with run_<RUN>";
    return std::nullopt;
  }
  name.run = std::string(left.substr(4));
  std::string modality;
  if (right.starts_with("traj_")) {
    if (!split_tid_and_modality(right.substr(5), name.tid, modality)) {
      why = "traj_<TID> is not a number";
      return std::nullopt;
    }
  } else if (right.starts_with("pair_")) {
    std::string_view body = right.substr(5);
    size_t role_at = std::string_view::npos;
    for (std::string_view marker : {"_A_traj_", "_B_traj_"}) {
      size_t found = body.rfind(marker);
      if (found != std::string_view::npos && (role_at == std::string_view::npos || found > role_at)) role_at = found;
    }
    if (role_at == std::string_view::npos || role_at == 0) {
      why = "pair_<PID> is not followed by _A_traj_<TID> or _B_traj_<TID>";
      return std::nullopt;
    }
    name.is_pair = true;
    name.pair_id = std::string(body.substr(0, role_at));
    name.role = body[role_at + 1];
    if (!split_tid_and_modality(body.substr(role_at + 8), name.tid, modality)) {
      why = "traj_<TID> is not a number";
      return std::nullopt;
    }
  } else {
    why = "expected traj_<TID> or pair_<PID>_<A|B>_traj_<TID> after the last '__'";
    return std::nullopt;
  }
  if (!modality.empty()) {
    if (name.kind == FileKind::Meta) {
      why = "a _meta.json name with an extra _" + modality + " suffix";
      return std::nullopt;
    }
    name.kind = FileKind::Modality;
    name.modality = modality;
  }
  // The stem is everything before the suffix (modality suffix excluded).
  std::string_view stem = rest;
  if (!modality.empty()) stem.remove_suffix(modality.size() + 1);
  name.stem = std::string(stem);
  return name;
}

}  // namespace idm::rsv
