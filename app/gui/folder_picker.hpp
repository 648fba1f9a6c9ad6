#pragma once
// A small in-app file browser (no native dialogs are packaged): folders first, then files
// matching a filter; a path box; Enter or a button picks. UI state only, main thread.
#include <filesystem>
#include <string>
#include <vector>

namespace idm::gui {

class FolderPicker {
 public:
  enum class Mode { Folder, FolderOrJson, File };  // File: any file; folders are only entered
  void open(const std::string& title, Mode mode, const std::filesystem::path& start);
  bool is_open() const { return open_; }
  // Draws the dialog; returns true once when the user picked a path (then in `picked`).
  bool draw(std::string& picked);

 private:
  void list(const std::filesystem::path& directory);
  bool open_ = false;
  bool just_opened_ = false;
  std::string title_;
  Mode mode_ = Mode::Folder;
  std::filesystem::path directory_;
  char path_text_[1024] = {};
  struct Entry {
    std::string name;
    bool is_directory;
    bool is_dataset;  // holds clips (clip_*.json below a clips_recording_* folder)
  };
  std::vector<Entry> entries_;
  std::string error_;
};

}  // namespace idm::gui
