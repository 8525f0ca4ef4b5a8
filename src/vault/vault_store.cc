#include "vault/vault_store.h"

#include <filesystem>
#include <fstream>

#include "store/postgresql/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "vault/vault.h"
#include "vault/vault_log.h"

namespace izde::vault {

namespace fs = std::filesystem;

std::string StoreLocation(const std::string& dir, const std::string& given) {
  if (given == kOwnStore) return "";
  if (!given.empty()) return given;
  std::ifstream in(fs::path(dir) / kStoreFile);
  std::string line;
  if (in && std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
  }
  return "";
}

bool VaultExists(const std::string& dir) {
  std::error_code ec;
  return fs::exists(fs::path(dir) / kDatabaseFile, ec) ||
         fs::exists(fs::path(dir) / kStoreFile, ec);
}

Result<std::unique_ptr<store::Store>> OpenVaultStore(const std::string& dir,
                                                     const std::string& given, bool create) {
  std::string location = StoreLocation(dir, given);
  if (store::IsPostgresLocation(location)) {
    IZDE_ASSIGN_OR_RETURN(auto s, store::PostgresStore::Open(location, create));
    return std::unique_ptr<store::Store>(std::move(s));
  }
  if (!location.empty())
    return Status::InvalidInput("the store '" + store::RedactConninfo(location) +
                                "' is neither a PostgreSQL URI (postgresql://…) nor empty");
  IZDE_ASSIGN_OR_RETURN(auto s,
                        store::SqliteStore::Open((fs::path(dir) / kDatabaseFile).string(), create));
  return std::unique_ptr<store::Store>(std::move(s));
}

Status RecordStoreLocation(const std::string& dir, const std::string& location) {
  if (store::ConninfoHasPassword(location))
    return Status::InvalidInput(
        "the store location holds a password, which would be written to VAULT/store in plain "
        "form; give the password in ~/.pgpass or $PGPASSWORD instead");
  std::ofstream out(fs::path(dir) / kStoreFile);
  out << location << "\n";
  out.close();
  if (!out) return Status::Io("cannot write " + (fs::path(dir) / kStoreFile).string());
  return Status::Ok();
}

Status CopyFilesToShared(const std::string& dir, store::Store& target) {
  store::SharedFiles* shared = target.shared();
  if (!shared) return Status::InvalidInput("the target store keeps no evidence files or log");
  std::error_code ec;
  const fs::path blobs = fs::path(dir) / kBlobDir;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(blobs, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".blob") files.push_back(it->path());
  if (ec) return Status::Io("cannot list " + blobs.string() + ": " + ec.message());
  for (const auto& f : files)
    IZDE_RETURN_IF_ERROR(shared->PutBlob(f.stem().string(), f.string()).Within(f.string()));
  IZDE_ASSIGN_OR_RETURN(auto log, VaultLog::Open(fs::path(dir) / kLogDir, nullptr,
                                                 ledger::Log::Mode::kReadOnly, false, true));
  std::vector<store::Bytes> entries;
  IZDE_RETURN_IF_ERROR(log->log().ForEachEntry([&](uint64_t, const std::vector<uint8_t>& e) {
    entries.push_back(e);
    return Status::Ok();
  }));
  IZDE_RETURN_IF_ERROR(target.Begin());
  if (Status s = shared->AppendLogEntries(0, entries); !s.ok()) {
    target.Rollback();
    return s.Within("copying the log into the database");
  }
  IZDE_RETURN_IF_ERROR(target.Commit());
  IZDE_ASSIGN_OR_RETURN(auto checkpoints, log->Checkpoints());
  for (const auto& cp : checkpoints) {
    const std::string name = fs::path(cp.path).filename().string();
    if (name.size() != 20 || name.find_first_not_of("0123456789") != std::string::npos)
      continue;  // the latest, `checkpoint`, is also in the history
    IZDE_RETURN_IF_ERROR(shared->PutCheckpoint(std::stoull(name), cp.note));
  }
  // Timestamp tokens, the authority, cosigners and their cosignatures.
  log->set_shared(shared);
  return log->ShareLocalFiles(true);
}

Status CopyFilesFromShared(store::Store& source, const std::string& dir) {
  store::SharedFiles* shared = source.shared();
  if (!shared) return Status::InvalidInput("the source store keeps no evidence files or log");
  IZDE_ASSIGN_OR_RETURN(auto blobs, shared->ListBlobs());
  std::error_code ec;
  for (const auto& [name, size] : blobs) {
    if (name.size() != 32 || name.find_first_not_of("0123456789abcdef") != std::string::npos)
      return Status::Corrupt("the database holds an evidence file named '" + name +
                             "', which is not a blob name");
    const fs::path sub = fs::path(dir) / kBlobDir / name.substr(0, 2);
    fs::create_directories(sub, ec);
    const fs::path target = sub / (name + ".blob");
    const fs::path tmp = target.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return Status::Io("cannot write " + tmp.string());
      IZDE_RETURN_IF_ERROR(shared->ReadBlob(name, [&](const store::Bytes& piece) {
        out.write(reinterpret_cast<const char*>(piece.data()),
                  static_cast<std::streamsize>(piece.size()));
        return out ? Status::Ok() : Status::Io("cannot write " + tmp.string());
      }));
      out.flush();
      if (!out) return Status::Io("cannot write " + tmp.string());
    }
    if (fs::file_size(tmp, ec) != size)
      return Status::Corrupt("evidence file " + name + " arrived with the wrong size");
    fs::rename(tmp, target, ec);
    if (ec) return Status::Io("cannot write " + target.string() + ": " + ec.message());
  }
  IZDE_ASSIGN_OR_RETURN(auto log, VaultLog::Open(fs::path(dir) / kLogDir, nullptr,
                                                 ledger::Log::Mode::kWritable, true, true));
  log->set_shared(shared);
  return log->SyncFromShared(true);
}

}  // namespace izde::vault
