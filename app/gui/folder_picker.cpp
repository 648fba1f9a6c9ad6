#include "folder_picker.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "io/frame_io_guard.hpp"

namespace idm::gui {

namespace {

bool looks_like_dataset(const std::filesystem::path& directory) {
  std::error_code code;
  for (auto it = std::filesystem::directory_iterator(directory, code); !code && it != std::filesystem::directory_iterator(); it.increment(code)) {
    if (it->is_directory(code) && it->path().filename().string().starts_with("clips_recording_")) return true;
  }
  return false;
}

// Off the UI thread (note_file_access makes the frame I/O guard catch it if it ever runs in a frame).
FolderPicker::Listing list_directory(std::filesystem::path request, FolderPicker::Mode mode, bool typed) {
  FolderPicker::Listing out;
  note_file_access("list", request);
  std::error_code code;
  if (typed && mode != FolderPicker::Mode::Folder && std::filesystem::is_regular_file(request, code)) {
    out.picked_file = request.string();
    return out;
  }
  if (typed && !std::filesystem::is_directory(request, code)) {
    out.keep_shown = true;
    out.error = request.string() + (mode == FolderPicker::Mode::Folder ? ": not a folder" : ": not a file or folder");
    return out;
  }
  if (request.empty() || !std::filesystem::is_directory(request, code)) request = std::filesystem::current_path(code);
  out.directory = std::filesystem::absolute(request, code).lexically_normal();
  auto it = std::filesystem::directory_iterator(out.directory, std::filesystem::directory_options::skip_permission_denied, code);
  if (code) {
    out.error = out.directory.string() + ": " + code.message();
    return out;
  }
  for (; it != std::filesystem::directory_iterator(); it.increment(code)) {
    if (code) break;
    std::string name = it->path().filename().string();
    if (name.starts_with(".")) continue;
    bool directory_entry = it->is_directory(code);
    bool wanted_file = mode == FolderPicker::Mode::File || (mode == FolderPicker::Mode::FolderOrJson && it->path().extension() == ".json");
    if (!directory_entry && !wanted_file) continue;
    out.entries.push_back({name, directory_entry, directory_entry && looks_like_dataset(it->path())});
  }
  std::sort(out.entries.begin(), out.entries.end(), [](const FolderPicker::Entry& a, const FolderPicker::Entry& b) {
    if (a.is_directory != b.is_directory) return a.is_directory;
    return a.name < b.name;
  });
  return out;
}

}  // namespace

void FolderPicker::open(const std::string& title, Mode mode, const std::filesystem::path& start) {
  title_ = title;
  mode_ = mode;
  open_ = just_opened_ = true;
  error_.clear();
  list(start);
}

void FolderPicker::list(const std::filesystem::path& directory, bool typed) {
  if (listing_.valid()) return;  // one at a time; the user clicks again once it is back
  listing_ = std::async(std::launch::async, list_directory, directory, mode_, typed);
}

void FolderPicker::take_listing(Listing listing, std::string& picked, bool& chosen) {
  if (!listing.picked_file.empty()) {
    picked = listing.picked_file;
    chosen = true;
    return;
  }
  if (listing.keep_shown) {
    error_ = listing.error;  // a typed path that is nothing: the listing shown stays
    return;
  }
  directory_ = listing.directory;
  std::string text = directory_.string();
  std::strncpy(path_text_, text.c_str(), sizeof path_text_ - 1);
  entries_ = std::move(listing.entries);
  error_ = std::move(listing.error);
}

bool FolderPicker::draw(std::string& picked) {
  if (!open_) return false;
  if (just_opened_) {
    ImGui::OpenPopup(title_.c_str());
    just_opened_ = false;
  }
  bool chosen = false;
  if (listing_.valid() && listing_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) take_listing(listing_.get(), picked, chosen);
  ImGui::SetNextWindowSize(ImVec2(720, 520), ImGuiCond_Appearing);
  if (ImGui::BeginPopupModal(title_.c_str(), &open_)) {
    ImGui::SetNextItemWidth(-90);
    if (ImGui::InputText("##path", path_text_, sizeof path_text_, ImGuiInputTextFlags_EnterReturnsTrue)) {
      list(path_text_, true);  // Enter on a typed file path picks it
    }
    ImGui::SameLine();
    if (ImGui::Button("Up")) list(directory_.parent_path());
    if (!error_.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), "%s", error_.c_str());
    if (listing_.valid()) ImGui::TextDisabled("listing ...");
    ImGui::BeginChild("entries", ImVec2(0, -40), true);
    std::filesystem::path next;
    for (const Entry& entry : entries_) {
      std::string label = (entry.is_directory ? "[dir]  " : "       ") + entry.name + (entry.is_dataset ? "   (dataset)" : "");
      if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick) && ImGui::IsMouseDoubleClicked(0)) {
        if (entry.is_directory) next = directory_ / entry.name;
        else {
          picked = (directory_ / entry.name).string();
          chosen = true;
        }
      }
    }
    ImGui::EndChild();
    if (!next.empty()) list(next);
    if (mode_ != Mode::File && ImGui::Button("Open this folder")) {
      picked = directory_.string();
      chosen = true;
    }
    if (mode_ == Mode::File && ImGui::Button("Pick the typed path")) list(path_text_, true);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) open_ = false;
    ImGui::SameLine();
    ImGui::TextDisabled("double-click a folder to enter it%s", mode_ == Mode::FolderOrJson ? ", or a .json file to pick it"
                                                               : mode_ == Mode::File   ? ", or a file to pick it"
                                                                                       : "");
    if (chosen) open_ = false;
    if (!open_) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  } else {
    open_ = false;
  }
  return chosen;
}

}  // namespace idm::gui
