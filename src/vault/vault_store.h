// Which store a vault uses. A vault directory holds its records in
// VAULT/vault.db (SQLite) unless it has a file VAULT/store naming a PostgreSQL
// database (postgresql://…); the blobs, the log and the index cache stay in the
// directory either way (docs/deploy.md, "What lives where").
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace izde::vault {

inline constexpr const char* kStoreFile = "store";
// A store location meaning "the vault's own SQLite file", whatever VAULT/store says
// (used by `izde migrate` on its way back from PostgreSQL).
inline constexpr const char* kOwnStore = "sqlite";

// The store location for `dir`: `given` when not empty, else what VAULT/store
// says, else "" (the vault's own SQLite file).
std::string StoreLocation(const std::string& dir, const std::string& given);
// True when `dir` holds a vault of either kind.
bool VaultExists(const std::string& dir);
// Opens the store of the vault at `dir` (see StoreLocation).
Result<std::unique_ptr<store::Store>> OpenVaultStore(const std::string& dir,
                                                     const std::string& given, bool create);
// For `izde init --store postgresql://…`: refuses a database that already holds
// a vault or a location with a password in it, then writes VAULT/store.
Status RecordStoreLocation(const std::string& dir, const std::string& location);

// For `izde migrate` to PostgreSQL: puts the directory's sealed evidence files and its
// log (entries, then every checkpoint kept) into the database, which must hold none yet.
// The directory keeps its copies.
Status CopyFilesToShared(const std::string& dir, store::Store& target);
// For `izde migrate` back: writes the database's evidence files into VAULT/blobs and
// brings the directory's copy of the log (and its checkpoint history) up to the
// database's.
Status CopyFilesFromShared(store::Store& source, const std::string& dir);

}  // namespace izde::vault
