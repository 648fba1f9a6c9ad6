#include "dataset/dataset_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <utility>

namespace idm {

std::string clip_key_of(const std::filesystem::path& root, const std::filesystem::path& json_path) {
  std::filesystem::path relative = json_path.lexically_relative(root);
  relative.replace_extension();
  return relative.generic_string();
}

const char* special_file_phrase(std::filesystem::file_type type) {
  switch (type) {
    case std::filesystem::file_type::fifo: return "a FIFO (named pipe)";
    case std::filesystem::file_type::character: return "a character device";
    case std::filesystem::file_type::block: return "a block device";
    case std::filesystem::file_type::socket: return "a socket";
    case std::filesystem::file_type::directory: return "a folder";
    default: return "not a regular file";
  }
}

namespace {

struct FolderId {
  dev_t device = 0;
  ino_t inode = 0;
  auto operator<=>(const FolderId&) const = default;
};

std::filesystem::file_type type_of(mode_t mode) {
  if (S_ISREG(mode)) return std::filesystem::file_type::regular;
  if (S_ISDIR(mode)) return std::filesystem::file_type::directory;
  if (S_ISFIFO(mode)) return std::filesystem::file_type::fifo;
  if (S_ISCHR(mode)) return std::filesystem::file_type::character;
  if (S_ISBLK(mode)) return std::filesystem::file_type::block;
  if (S_ISSOCK(mode)) return std::filesystem::file_type::socket;
  return std::filesystem::file_type::unknown;
}

bool is_clip_name(const std::string& name, std::string_view extension) {
  return name.size() > 5 + extension.size() && name.starts_with("clip_") && name.ends_with(extension);
}

FileStamp stamp_of(const struct stat& info) {
  return {static_cast<uint64_t>(info.st_size), static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
}

std::string link_target(const std::filesystem::path& path) {
  char target[4096];
  ssize_t length = ::readlink(path.c_str(), target, sizeof target - 1);
  return length > 0 ? std::string(target, static_cast<size_t>(length)) : std::string("?");
}

// Why a symlink cannot be followed, as a phrase ("a dangling symlink (to X)").
std::string broken_link_phrase(const std::filesystem::path& path, int follow_errno) {
  if (follow_errno == ENOENT) return "a dangling symlink (to " + link_target(path) + ")";
  if (follow_errno == ELOOP) return "a symlink loop (" + link_target(path) + " leads back to itself)";
  return "a symlink that cannot be followed (" + link_target(path) + ": " + std::strerror(follow_errno) + ")";
}

}  // namespace

bool file_starts_with_json_array(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat info {};
  char head[256];
  ssize_t length = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) ? ::read(fd, head, sizeof head) : -1;
  ::close(fd);
  for (ssize_t i = 0; i < length; ++i) {
    unsigned char c = static_cast<unsigned char>(head[i]);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF) continue;
    return c == '[';
  }
  return false;
}

namespace {

struct NamedFile {
  std::filesystem::path path;
  std::string problem;  // empty: a regular file
  FileStamp stamp;
};

struct ChildFolder {
  std::filesystem::path path;
  FolderId id;
  bool via_link = false;
};

class TreeWalker {
 public:
  TreeWalker(DatasetTree& out, const std::atomic<bool>* cancel) : out_(out), cancel_(cancel) {}

  bool walk(const std::filesystem::path& folder, FolderId id) {
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) return false;
    visited_.emplace(id, relative(folder));
    ancestors_.insert(id);
    ++out_.folders_listed;
    std::vector<ChildFolder> children;
    list_folder(folder, children);
    for (const ChildFolder& child : children) {
      if (ancestors_.count(child.id)) {
        note(false, "symlink-loop", child.path,
             "links to an enclosing folder (" + display(visited_[child.id]) + "); not followed again");
        continue;
      }
      if (auto seen = visited_.find(child.id); seen != visited_.end()) {
        note(false, "duplicate-folder", child.path, "is another path to " + display(seen->second) + ", already listed; its clips are counted once");
        continue;
      }
      if (!walk(child.path, child.id)) return false;
    }
    ancestors_.erase(id);
    return true;
  }

  std::string relative(const std::filesystem::path& path) const {
    std::string text = path.lexically_relative(out_.root).generic_string();
    return text.empty() ? "." : text;
  }

 private:
  static std::string display(const std::string& relative_path) { return relative_path == "." ? "the dataset folder" : relative_path; }

  void note(bool problem, const char* kind, const std::filesystem::path& path, const std::string& message) {
    out_.findings.push_back({problem, kind, relative(path), message});
  }

  void list_folder(const std::filesystem::path& folder, std::vector<ChildFolder>& children) {
    std::vector<std::string> names;
    DIR* handle = ::opendir(folder.c_str());
    if (!handle) {
      note(true, "unlistable-folder", folder, std::string("cannot list this folder: ") + std::strerror(errno) + "; clips inside it are missing");
      return;
    }
    while (const dirent* entry = ::readdir(handle)) {
      if (std::strcmp(entry->d_name, ".") && std::strcmp(entry->d_name, "..")) names.emplace_back(entry->d_name);
    }
    ::closedir(handle);
    std::sort(names.begin(), names.end());

    std::map<std::string, NamedFile> jsons, videos;  // by clip stem
    for (const std::string& name : names) {
      std::filesystem::path path = folder / name;
      struct stat info {};
      if (::lstat(path.c_str(), &info) != 0) continue;  // removed while listing
      bool is_json = is_clip_name(name, ".json"), is_video = is_clip_name(name, ".mp4");
      if (S_ISLNK(info.st_mode) && ::stat(path.c_str(), &info) != 0) {
        std::string why = broken_link_phrase(path, errno);
        if (is_json) jsons[name.substr(0, name.size() - 5)] = {path, why, {}};
        else if (is_video) videos[name.substr(0, name.size() - 4)] = {path, why, {}};
        else note(false, "broken-link", path, "is " + why + "; ignored");
        continue;
      }
      if (S_ISDIR(info.st_mode)) {
        if (is_json) jsons[name.substr(0, name.size() - 5)] = {path, "a folder, expected the clip's JSON file", {}};
        if (name == ".idmscope") continue;  // idmscope's own data (prediction store, index)
        children.push_back({path, {info.st_dev, info.st_ino}, false});
        continue;
      }
      std::string problem = S_ISREG(info.st_mode) ? "" : std::string(special_file_phrase(type_of(info.st_mode))) + ", not read";
      if (is_json) jsons[name.substr(0, name.size() - 5)] = {path, problem, stamp_of(info)};
      else if (is_video) videos[name.substr(0, name.size() - 4)] = {path, problem, stamp_of(info)};
    }

    for (const auto& [stem, json] : jsons) {
      auto video = videos.find(stem);
      if (video == videos.end() && json.problem.empty() && file_starts_with_json_array(json.path)) continue;  // predictions
      TreeClip clip;
      clip.json_path = json.path;
      clip.key = clip_key_of(out_.root, json.path);
      clip.json_stamp = json.stamp;
      if (!json.problem.empty()) {
        clip.json_problem_kind = "not-a-file";
        clip.json_problem = "not a regular file: " + json.problem;
      }
      clip.video_path = std::filesystem::path(json.path).replace_extension(".mp4");
      if (video != videos.end()) {
        clip.has_video = video->second.problem.empty();
        clip.video_problem = video->second.problem;
        clip.video_stamp = video->second.stamp;
      }
      out_.clips.push_back(std::move(clip));
    }
    for (const auto& [stem, video] : videos) {
      if (jsons.count(stem)) continue;
      TreeClip clip;
      clip.json_path = folder / (stem + ".json");
      clip.key = clip_key_of(out_.root, clip.json_path);
      clip.video_path = video.path;
      clip.has_video = video.problem.empty();
      clip.video_problem = video.problem;
      clip.video_stamp = video.stamp;
      clip.json_problem_kind = "no-json";
      clip.json_problem = "no " + clip.json_path.filename().string() + " beside " + video.path.filename().string() +
                          " (the clip's log is missing; the clip is not scored)";
      out_.clips.push_back(std::move(clip));
    }
  }

  DatasetTree& out_;
  const std::atomic<bool>* cancel_;
  std::map<FolderId, std::string> visited_;  // folder -> the relative path it was listed under
  std::set<FolderId> ancestors_;
};

}  // namespace

bool list_dataset_tree(const std::filesystem::path& root, DatasetTree& out, std::string& error, const std::atomic<bool>* cancel) {
  out = DatasetTree{};
  out.root = root;
  struct stat info {};
  if (::stat(root.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    error = root.string() + ": not a folder";
    return false;
  }
  if (::access(root.c_str(), R_OK | X_OK) != 0) {
    error = root.string() + ": cannot list: " + std::strerror(errno);
    return false;
  }
  TreeWalker walker(out, cancel);
  if (!walker.walk(root, {info.st_dev, info.st_ino})) {
    error = root.string() + ": listing cancelled";
    return false;
  }
  std::sort(out.clips.begin(), out.clips.end(), [](const TreeClip& a, const TreeClip& b) { return a.key < b.key; });
  return true;
}

}  // namespace idm
