#pragma once
// A small in-app file browser (no native dialogs are packaged): folders first, then files
// matching a filter; a path box; Enter or a button picks. UI state, main thread; the folder
// listing (and the check that a typed path is a file) runs on a thread of its own, never in a
// frame: the dialog shows the last listing until the next one is back.
#include <filesystem>
#include <future>
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

  struct Entry {
    std::string name;
    bool is_directory;
    bool is_dataset;  // holds clips (clip_*.json below a clips_recording_* folder)
  };
  // What a listing thread returns: a folder's entries, or (for a typed path that is a file,
  // in the modes that pick files) that file.
  struct Listing {
    std::filesystem::path directory;
    std::vector<Entry> entries;
    std::string error;
    std::string picked_file;
    bool keep_shown = false;  // a typed path that is neither: only `error` is news
  };

 private:
  // Starts listing `directory` (ignored while a listing runs). typed: a path the user typed,
  // picked when it names a file and the mode picks files.
  void list(const std::filesystem::path& directory, bool typed = false);
  void take_listing(Listing listing, std::string& picked, bool& chosen);
  bool open_ = false;
  bool just_opened_ = false;
  std::string title_;
  Mode mode_ = Mode::Folder;
  std::filesystem::path directory_;
  char path_text_[1024] = {};
  std::vector<Entry> entries_;
  std::future<Listing> listing_;  // the running listing (valid until taken)
  std::string error_;
};

}  // namespace idm::gui
