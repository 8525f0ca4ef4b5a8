#include "vault/vault_store.h"

#include <filesystem>
#include <fstream>

#include "store/postgresql/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "vault/vault.h"

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

}  // namespace izde::vault
