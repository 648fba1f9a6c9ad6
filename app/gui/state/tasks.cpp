#include "state/tasks.hpp"

#include <algorithm>

namespace idm::gui {

const char* task_kind_name(TaskKind kind) {
  switch (kind) {
    case TaskKind::OpenDataset: return "open dataset";
    case TaskKind::FillDataset: return "read clips";
    case TaskKind::OpenPath: return "look at a dropped path";
    case TaskKind::LoadSource: return "load predictions";
    case TaskKind::LoadProfile: return "load profile";
    case TaskKind::Scoring: return "scoring";
    case TaskKind::Sweep: return "tolerance sweep";
    case TaskKind::Save: return "save";
    case TaskKind::Export: return "export";
    case TaskKind::EditorOpen: return "open clip for editing";
    case TaskKind::EditorDiskPoll: return "look at the side files";
    case TaskKind::RsvOpen: return "read RSV release";
    case TaskKind::RsvCheck: return "RSV check";
    case TaskKind::RsvFrames: return "decode RSV frames";
    case TaskKind::RsvCurve: return "PSNR(A, B) per frame";
  }
  return "task";
}

bool task_cancellable(TaskKind kind) {
  switch (kind) {
    case TaskKind::OpenDataset:
    case TaskKind::OpenPath:
    case TaskKind::LoadSource:
    case TaskKind::LoadProfile:
    case TaskKind::Export: return true;
    default: return false;
  }
}

TaskRegistry::TaskRegistry(std::function<void()> wake) : wake_(std::move(wake)) {}

TaskRegistry::~TaskRegistry() {
  std::vector<std::unique_ptr<Entry>> entries;
  {
    std::lock_guard lock(mutex_);
    for (auto& entry : entries_) entry->context->cancel_.store(true);
    entries.swap(entries_);
  }
  for (auto& entry : entries) {
    if (entry->thread.joinable()) entry->thread.join();
  }
}

uint64_t TaskRegistry::start(TaskKind kind, std::string name, TaskWork work) {
  auto entry = std::make_unique<Entry>();
  Entry* raw = entry.get();
  raw->kind = kind;
  raw->name = std::move(name);
  raw->context = std::make_unique<TaskContext>();
  {
    std::lock_guard lock(mutex_);
    raw->id = next_id_++;
    entries_.push_back(std::move(entry));
  }
  raw->thread = std::thread([this, raw, work = std::move(work)] {
    Command result = raw->context->cancelled() ? Command(cmd::TaskCancelled{raw->name}) : work(*raw->context);
    {
      std::lock_guard lock(mutex_);
      raw->result = std::move(result);
      raw->finished = true;
      raw->finish_order = next_finish_++;
    }
    finished_.notify_all();
    if (wake_) wake_();
  });
  return raw->id;
}

void TaskRegistry::cancel(uint64_t id) {
  std::lock_guard lock(mutex_);
  for (auto& entry : entries_) {
    if (entry->id == id) entry->context->cancel_.store(true);
  }
}

void TaskRegistry::cancel_kind(TaskKind kind) {
  std::lock_guard lock(mutex_);
  for (auto& entry : entries_) {
    if (entry->kind == kind) entry->context->cancel_.store(true);
  }
}

void TaskRegistry::cancel_and_wait(TaskKind kind) {
  cancel_kind(kind);
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] {
    return std::none_of(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry->kind == kind && !entry->finished; });
  });
}

bool TaskRegistry::running(TaskKind kind) const {
  std::lock_guard lock(mutex_);
  return std::any_of(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry->kind == kind && !entry->finished; });
}

bool TaskRegistry::any_running() const {
  std::lock_guard lock(mutex_);
  return std::any_of(entries_.begin(), entries_.end(), [](const auto& entry) { return !entry->finished; });
}

bool TaskRegistry::any_running_except(TaskKind kind) const {
  std::lock_guard lock(mutex_);
  return std::any_of(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry->kind != kind && !entry->finished; });
}

std::vector<TaskInfo> TaskRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<TaskInfo> out;
  for (const auto& entry : entries_) {
    if (entry->finished) continue;
    out.push_back({entry->id, entry->kind, entry->name, entry->context->progress_.load(std::memory_order_relaxed),
                   entry->context->cancel_.load(std::memory_order_relaxed)});
  }
  return out;
}

void TaskRegistry::drain(CommandQueue& out) {
  std::vector<std::unique_ptr<Entry>> done;
  {
    std::lock_guard lock(mutex_);
    auto split = std::stable_partition(entries_.begin(), entries_.end(), [](const auto& entry) { return !entry->finished; });
    std::move(split, entries_.end(), std::back_inserter(done));
    entries_.erase(split, entries_.end());
  }
  std::sort(done.begin(), done.end(), [](const auto& a, const auto& b) { return a->finish_order < b->finish_order; });
  for (auto& entry : done) {
    entry->thread.join();  // it has stored its result: this returns at once
    if (entry->result) out.push_back(std::move(*entry->result));
  }
}

void TaskRegistry::wait_idle() {
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] { return std::all_of(entries_.begin(), entries_.end(), [](const auto& entry) { return entry->finished; }); });
}

void TaskRegistry::wait_idle_except(TaskKind kind) {
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] {
    bool others_done = std::none_of(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry->kind != kind && !entry->finished; });
    bool result_waiting = std::any_of(entries_.begin(), entries_.end(), [](const auto& entry) { return entry->finished; });
    return others_done || result_waiting;
  });
}

}  // namespace idm::gui
