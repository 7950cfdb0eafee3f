#include "tests/support/fault_vfs.h"

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>

namespace parc::testing {
namespace {

struct State {
  std::array<std::atomic<int64_t>, 3> count{};
  std::atomic<int> armed_op{-1};
  std::atomic<int64_t> fire_at{0};  // the count of armed_op at which to fail
  std::atomic<int> code{SQLITE_IOERR};
  std::atomic<bool> persist{false};
  std::atomic<int64_t> fired{0};
};
State state;
sqlite3_vfs* real = nullptr;  // the default VFS before ours
sqlite3_vfs shim;

// Our file: the methods first (SQLite's layout), then the real file.
struct File {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

// SQLITE_OK, or the fault this call must return.
int Check(FaultVfs::Op op) {
  const int index = static_cast<int>(op);
  const int64_t n = state.count[index].fetch_add(1) + 1;
  if (state.armed_op.load() != index) return SQLITE_OK;
  const int64_t at = state.fire_at.load();
  if (n == at || (n > at && state.persist.load())) {
    state.fired.fetch_add(1);
    return state.code.load();
  }
  return SQLITE_OK;
}

int Close(sqlite3_file* f) {
  int rc = Of(f)->real()->pMethods ? Of(f)->real()->pMethods->xClose(Of(f)->real()) : SQLITE_OK;
  return rc;
}
int Read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  if (int rc = Check(FaultVfs::Op::kRead); rc != SQLITE_OK) {
    // A short read hands back zeros (the VFS contract); a read does not fill a disk.
    if (rc == SQLITE_IOERR_SHORT_READ) std::memset(buf, 0, static_cast<size_t>(amount));
    return rc == SQLITE_FULL ? SQLITE_IOERR_READ : rc;
  }
  return Of(f)->real()->pMethods->xRead(Of(f)->real(), buf, amount, offset);
}
int Write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  if (int rc = Check(FaultVfs::Op::kWrite); rc != SQLITE_OK) return rc;
  return Of(f)->real()->pMethods->xWrite(Of(f)->real(), buf, amount, offset);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Of(f)->real()->pMethods->xTruncate(Of(f)->real(), size);
}
int Sync(sqlite3_file* f, int flags) {
  if (int rc = Check(FaultVfs::Op::kSync); rc != SQLITE_OK) {
    return rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
  }
  return Of(f)->real()->pMethods->xSync(Of(f)->real(), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Of(f)->real()->pMethods->xFileSize(Of(f)->real(), size);
}
int Lock(sqlite3_file* f, int level) {
  return Of(f)->real()->pMethods->xLock(Of(f)->real(), level);
}
int Unlock(sqlite3_file* f, int level) {
  return Of(f)->real()->pMethods->xUnlock(Of(f)->real(), level);
}
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Of(f)->real()->pMethods->xCheckReservedLock(Of(f)->real(), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Of(f)->real()->pMethods->xFileControl(Of(f)->real(), op, arg);
}
int SectorSize(sqlite3_file* f) { return Of(f)->real()->pMethods->xSectorSize(Of(f)->real()); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Of(f)->real()->pMethods->xDeviceCharacteristics(Of(f)->real());
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Of(f)->real()->pMethods->xShmMap(Of(f)->real(), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Of(f)->real()->pMethods->xShmLock(Of(f)->real(), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Of(f)->real()->pMethods->xShmBarrier(Of(f)->real()); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Of(f)->real()->pMethods->xShmUnmap(Of(f)->real(), delete_flag);
}
// No memory-mapped pages: every page goes through xRead, where faults are.
int Fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = Of(f);
  std::memset(file->real(), 0, static_cast<size_t>(real->szOsFile));
  int rc = real->xOpen(real, name, file->real(), flags, out_flags);
  // SQLite calls xClose even when xOpen fails, if pMethods is set.
  file->base.pMethods = file->real()->pMethods ? &kMethods : nullptr;
  return rc;
}
int Delete(sqlite3_vfs*, const char* name, int sync) { return real->xDelete(real, name, sync); }
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real->xAccess(real, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return real->xFullPathname(real, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return real->xDlOpen(real, name); }
void DlError(sqlite3_vfs*, int size, char* out) { real->xDlError(real, size, out); }
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return real->xDlSym(real, handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) { real->xDlClose(real, handle); }
int Randomness(sqlite3_vfs*, int size, char* out) { return real->xRandomness(real, size, out); }
int Sleep(sqlite3_vfs*, int micros) { return real->xSleep(real, micros); }
int CurrentTime(sqlite3_vfs*, double* out) { return real->xCurrentTime(real, out); }
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return real->xGetLastError ? real->xGetLastError(real, size, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return real->xCurrentTimeInt64(real, out);
}

}  // namespace

FaultVfs& FaultVfs::Install() {
  static FaultVfs vfs;
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_initialize();
    real = sqlite3_vfs_find(nullptr);
    shim = sqlite3_vfs{};
    shim.iVersion = 2;
    shim.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
    shim.mxPathname = real->mxPathname;
    shim.zName = "parc-fault";
    shim.xOpen = Open;
    shim.xDelete = Delete;
    shim.xAccess = Access;
    shim.xFullPathname = FullPathname;
    shim.xDlOpen = DlOpen;
    shim.xDlError = DlError;
    shim.xDlSym = DlSym;
    shim.xDlClose = DlClose;
    shim.xRandomness = Randomness;
    shim.xSleep = Sleep;
    shim.xCurrentTime = CurrentTime;
    shim.xGetLastError = GetLastError;
    shim.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&shim, /*makeDflt=*/1);
  });
  return vfs;
}

void FaultVfs::Arm(Op op, int64_t nth, int code, bool persist) {
  state.armed_op = -1;
  state.fired = 0;
  state.code = code;
  state.persist = persist;
  state.fire_at = state.count[static_cast<int>(op)].load() + nth;
  state.armed_op = static_cast<int>(op);
}

void FaultVfs::Disarm() { state.armed_op = -1; }

int64_t FaultVfs::Count(Op op) const { return state.count[static_cast<int>(op)].load(); }

int64_t FaultVfs::Fired() const { return state.fired.load(); }

}  // namespace parc::testing
