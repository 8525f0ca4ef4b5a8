#include "backup/chunk_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace izde::backup {
namespace fs = std::filesystem;

std::string Sha256Hex(std::string_view bytes) {
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool IsChunkName(std::string_view hex) {
  if (hex.size() != 2 * crypto_hash_sha256_BYTES) return false;
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

fs::path ChunkStore::PathOf(const std::string& hash) const {
  return dir_ / kChunkDir / hash.substr(0, 2) / hash;
}

bool ChunkStore::Has(const std::string& hash) const {
  std::error_code ec;
  return fs::exists(PathOf(hash), ec);
}

Result<std::string> ChunkStore::Put(std::string_view bytes, bool trust_existing, bool* written) {
  std::string hash = Sha256Hex(bytes);
  if (written) *written = false;
  fs::path path = PathOf(hash);
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (trust_existing) return hash;
    auto old = ReadWhole(path);
    if (old.ok() && *old == bytes) return hash;
  }
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Status::Io("cannot create " + path.parent_path().string() + ": " + ec.message());
  IZDE_RETURN_IF_ERROR(WriteWhole(path, bytes, false));
  if (written) *written = true;
  return hash;
}

Result<std::string> ChunkStore::Get(const std::string& hash, const std::string& what) const {
  fs::path path = PathOf(hash);
  std::error_code ec;
  if (!fs::exists(path, ec))
    return Status::NotFound("chunk " + hash + " (" + what + ") is missing from " +
                            (dir_ / kChunkDir).string());
  IZDE_ASSIGN_OR_RETURN(std::string bytes, ReadWhole(path));
  if (Sha256Hex(bytes) != hash)
    return Status::Corrupt("chunk " + hash + " (" + what +
                           ") is damaged: its bytes no longer match its hash");
  return bytes;
}

Status WriteWhole(const fs::path& path, std::string_view bytes, bool sync) {
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot create " + tmp.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Io("cannot write " + tmp.string() + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (sync && ::fsync(fd) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::Io("cannot flush " + tmp.string() + " to disk: " + why);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Io("cannot rename " + tmp.string() + " to " + path.string() + ": " + why);
  }
  if (sync) SyncDirectory(path.parent_path());
  return Status::Ok();
}

Result<std::string> ReadWhole(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Io("cannot read " + path.string() + ": " + std::strerror(errno));
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return Status::Io("cannot read " + path.string() + ": " + why);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

void SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Status SyncFileSystem(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Io("cannot open " + path.string() + ": " + std::strerror(errno));
  int rc = ::syncfs(fd);
  std::string why = rc != 0 ? std::strerror(errno) : "";
  ::close(fd);
  if (rc != 0) return Status::Io("cannot flush " + path.string() + " to disk: " + why);
  return Status::Ok();
}

}  // namespace izde::backup
