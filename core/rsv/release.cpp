#include "rsv/release.hpp"

#include <algorithm>
#include <set>

namespace idm::rsv {

namespace fs = std::filesystem;

const std::vector<SplitInfo>& card_splits() {
  static const std::vector<SplitInfo> splits = {{"inverse_easy", "inverse", 246},
                                                {"inverse_hard", "inverse", 202},
                                                {"loop_easy", "loop", 247},
                                                {"loop_hard", "loop", 198},
                                                {"equivalence_easy", "equivalence", 484}};
  return splits;
}

std::string relation_of_split(const std::string& split) {
  for (const SplitInfo& info : card_splits()) {
    if (split == info.name) return info.relation;
  }
  return {};
}

namespace {

struct FolderContents {
  int meta = 0;
  int videos = 0;
  int zips = 0;
};

FolderContents look_into(const fs::path& dir) {
  FolderContents contents;
  std::error_code code;
  for (fs::directory_iterator it(dir, code), end; !code && it != end; it.increment(code)) {
    std::string name = it->path().filename().string();
    if (!it->is_regular_file(code)) continue;
    if (name.ends_with("_meta.json")) ++contents.meta;
    else if (name.ends_with(".mp4")) ++contents.videos;
    else if (name.ends_with(".zip")) ++contents.zips;
  }
  return contents;
}

std::vector<fs::path> subfolders(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code code;
  for (fs::directory_iterator it(dir, code), end; !code && it != end; it.increment(code)) {
    if (it->is_directory(code) && !it->path().filename().string().starts_with(".")) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void scan_split(const fs::path& folder, const std::string& split, Release& release) {
  std::map<std::string, MemberFiles> members;  // by stem
  std::vector<std::string> file_names;
  std::error_code code;
  for (fs::directory_iterator it(folder, code), end; !code && it != end; it.increment(code)) {
    if (it->is_regular_file(code)) file_names.push_back(it->path().filename().string());
  }
  std::sort(file_names.begin(), file_names.end());
  for (const std::string& file : file_names) {
    if (!file.ends_with(".mp4") && !file.ends_with("_meta.json")) continue;
    if (file.ends_with("_meta.json")) ++release.meta_files[split];
    std::string why;
    auto name = parse_rsv_name(file, why);
    if (!name) {
      release.notes.push_back({Severity::Warning, split + "/" + file, "", "skipped: the name does not follow the release's grammar (" + why + ")"});
      continue;
    }
    MemberFiles& member = members[name->stem];
    if (member.key.empty()) {
      member.key = split + "/" + name->stem;
      member.name = *name;
      member.name.kind = FileKind::Video;
      member.name.modality.clear();
    }
    if (name->kind == FileKind::Meta) {
      member.meta_path = folder / file;
      member.meta_label = split + "/" + file;
    } else if (name->kind == FileKind::Video) {
      member.video_path = folder / file;
      member.video_label = split + "/" + file;
    } else {
      member.modalities.push_back(name->modality);
    }
  }
  std::map<std::string, ReleaseItem> pairs;
  std::vector<ReleaseItem> singles;
  for (auto& [stem, member] : members) {
    std::vector<Diagnostic> problems;
    if (member.meta_path.empty() && !member.video_path.empty()) {
      problems.push_back({Severity::Error, member.video_label, "", "video without its _meta.json"});
    } else if (member.video_path.empty() && !member.meta_path.empty()) {
      problems.push_back({Severity::Error, member.meta_label, "", "metadata without its .mp4"});
    } else if (member.video_path.empty() && member.meta_path.empty()) {
      problems.push_back({Severity::Error, member.key, "", "only modality videos (" + member.modalities.front() + "), no .mp4 and no _meta.json"});
    }
    if (member.name.is_pair) {
      ReleaseItem& item = pairs[member.name.pair_stem()];
      item.key = split + "/" + member.name.pair_stem();
      item.split = split;
      item.is_pair = true;
      item.members.push_back(member);
      item.diagnostics.insert(item.diagnostics.end(), problems.begin(), problems.end());
    } else {
      ReleaseItem item;
      item.key = member.key;
      item.split = split;
      item.members.push_back(member);
      item.diagnostics = problems;
      singles.push_back(std::move(item));
    }
  }
  for (auto& [stem, item] : pairs) {
    int a = 0, b = 0;
    for (const MemberFiles& member : item.members) (member.name.role == 'A' ? a : b)++;
    if (a != 1 || b != 1) {
      std::string files;
      for (const MemberFiles& member : item.members) files += (files.empty() ? "" : ", ") + member.name.stem;
      item.diagnostics.push_back({Severity::Error, item.key, "",
                                  "a pair needs exactly one A and one B half; found " + std::to_string(a) + " A and " +
                                      std::to_string(b) + " B (" + files + ")"});
    } else {
      std::sort(item.members.begin(), item.members.end(),
                [](const MemberFiles& x, const MemberFiles& y) { return x.name.role < y.name.role; });
      if (item.members[1].name.tid != item.members[0].name.tid + 1) {
        item.diagnostics.push_back({Severity::Warning, item.key, "",
                                    "TID of B is " + std::to_string(item.members[1].name.tid) + ", the card says TID_A + 1 = " +
                                        std::to_string(item.members[0].name.tid + 1)});
      }
    }
    singles.push_back(std::move(item));
  }
  std::sort(singles.begin(), singles.end(), [](const ReleaseItem& x, const ReleaseItem& y) { return x.key < y.key; });
  for (ReleaseItem& item : singles) release.items.push_back(std::move(item));
}

}  // namespace

bool scan_release(const fs::path& dir, Release& out, std::string& error) {
  std::error_code code;
  if (!fs::is_directory(dir, code)) {
    error = dir.string() + ": not a folder";
    return false;
  }
  out = Release{};
  out.root = dir;
  // The folder itself, its subfolders, or their subfolders (the parent of result_dataset/).
  std::vector<std::pair<fs::path, std::string>> splits;
  int zips = 0;
  FolderContents here = look_into(dir);
  zips += here.zips;
  if (here.meta > 0 || here.videos > 0) {
    std::string name = fs::absolute(dir, code).lexically_normal().filename().string();
    if (name.empty()) name = fs::absolute(dir, code).lexically_normal().parent_path().filename().string();
    splits.emplace_back(dir, name);
  } else {
    for (int depth = 0; depth < 2 && splits.empty(); ++depth) {
      std::vector<fs::path> level = subfolders(dir);
      if (depth == 1) {
        std::vector<fs::path> deeper;
        for (const fs::path& folder : level) {
          for (const fs::path& inner : subfolders(folder)) deeper.push_back(inner);
        }
        level = deeper;
      }
      for (const fs::path& folder : level) {
        FolderContents contents = look_into(folder);
        zips += contents.zips;
        if (contents.meta > 0 || contents.videos > 0) splits.emplace_back(folder, folder.filename().string());
      }
    }
  }
  std::set<fs::path> parents;
  for (const auto& [folder, name] : splits) parents.insert(folder.parent_path());
  if (parents.size() > 1) {
    std::string names;
    for (const fs::path& parent : parents) names += (names.empty() ? "" : ", ") + parent.filename().string();
    error = dir.string() + ": holds several releases (" + names + "): give one of them";
    return false;
  }
  if (splits.empty()) {
    error = zips > 0 ? dir.string() + ": only .zip files here: unpack the release first"
                     : dir.string() + ": no RSV split here (no *_meta.json or .mp4 in it or its subfolders)";
    return false;
  }
  // Card order for the known splits, then the others.
  std::stable_sort(splits.begin(), splits.end(), [](const auto& x, const auto& y) {
    auto rank = [](const std::string& name) {
      const auto& known = card_splits();
      for (size_t i = 0; i < known.size(); ++i) {
        if (name == known[i].name) return static_cast<int>(i);
      }
      return static_cast<int>(known.size());
    };
    return rank(x.second) < rank(y.second);
  });
  for (const auto& [folder, name] : splits) {
    out.splits.push_back(name);
    scan_split(folder, name, out);
    std::string relation = relation_of_split(name);
    if (relation.empty()) {
      out.notes.push_back({Severity::Note, name, "", "not one of the card's five splits; relations come from trajectory_type"});
    } else {
      for (const SplitInfo& info : card_splits()) {
        if (name == info.name && out.meta_files[name] != info.card_files) {
          out.notes.push_back({Severity::Note, name, "",
                               std::to_string(out.meta_files[name]) + " metadata files, the card's release has " +
                                   std::to_string(info.card_files)});
        }
      }
    }
  }
  return true;
}

}  // namespace idm::rsv
