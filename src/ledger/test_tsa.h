// A local RFC 3161 timestamp authority for tests: `openssl ts -reply` behind a small
// HTTP responder in the test process, with an ECDSA P-256 authority key and certificate
// under a test root, all generated in a temporary directory when it starts.
#pragma once

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

namespace izde::ledger::testing {

class LocalTsa {
 public:
  // How the responder answers: normally, with a refusal, or with bytes that are no
  // TimeStampResp at all.
  enum class Mode { kNormal, kRefuse, kGarbage };

  LocalTsa() {
    dir_ = std::filesystem::temp_directory_path() /
           ("izde-tsa-" + std::to_string(::getpid()) + "-" + std::to_string(Counter()++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string d = dir_.string();
    Write("openssl.cnf", Config(d));
    Write("tsaserial", "01\n");
    const std::string cnf = " -config " + d + "/openssl.cnf";
    ok_ = Run("openssl ecparam -name prime256v1 -genkey -noout -out " + d + "/root.key") &&
          Run("openssl req -new -x509 -days 3650 -key " + d + "/root.key -out " + d +
              "/root.pem -subj '/CN=izde test TSA root'" + cnf + " -extensions root_ext") &&
          Run("openssl ecparam -name prime256v1 -genkey -noout -out " + d + "/tsa.key") &&
          Run("openssl req -new -key " + d + "/tsa.key -out " + d +
              "/tsa.csr -subj '/CN=izde test TSA'" + cnf) &&
          Run("openssl x509 -req -days 3650 -in " + d + "/tsa.csr -CA " + d + "/root.pem -CAkey " +
              d + "/root.key -set_serial 2 -out " + d + "/tsa.pem -extfile " + d +
              "/openssl.cnf -extensions tsa_ext");
    if (!ok_) return;
    server_.Post("/tsa", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_;
      if (mode_ == Mode::kGarbage) {
        res.set_content("not a timestamp", "application/timestamp-reply");
        return;
      }
      const std::string d = dir_.string();
      Write("query.tsq", req.body);
      std::string cmd = "openssl ts -reply -config " + d + "/openssl.cnf -queryfile " + d +
                        "/query.tsq -out " + d + "/reply.tsr";
      if (mode_ == Mode::kRefuse) cmd += " -section refusing_tsa";
      std::filesystem::remove(dir_ / "reply.tsr");
      if (!Run(cmd)) {
        res.status = 500;
        return;
      }
      std::ifstream in(dir_ / "reply.tsr", std::ios::binary);
      res.set_content(std::string(std::istreambuf_iterator<char>(in), {}),
                      "application/timestamp-reply");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i) ::usleep(5000);
  }
  ~LocalTsa() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
    std::filesystem::remove_all(dir_);
  }

  bool ok() const { return ok_ && port_ > 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/tsa"; }
  // The root certificate a verifier trusts (PEM file).
  std::filesystem::path root_pem() const { return dir_ / "root.pem"; }
  std::string RootPem() const {
    std::ifstream in(root_pem(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void set_mode(Mode m) {
    std::lock_guard<std::mutex> lock(mu_);
    mode_ = m;
  }
  int requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  static std::atomic<int>& Counter() {
    static std::atomic<int> n{0};
    return n;
  }
  static bool Run(const std::string& cmd) {
    return std::system((cmd + " 2>/dev/null").c_str()) == 0;
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc) << text;
  }
  static std::string Config(const std::string& dir) {
    return Section("izde_test_tsa", dir, "sha256") + Section("refusing_tsa", dir, "sha1") +
           "[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = izde test\n"
           "[ root_ext ]\nbasicConstraints = critical,CA:true\n"
           "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n"
           "[ tsa_ext ]\nbasicConstraints = critical,CA:false\n"
           "keyUsage = critical,digitalSignature\nextendedKeyUsage = critical,timeStamping\n"
           "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n"
           "[ tsa ]\ndefault_tsa = izde_test_tsa\n";
  }
  // An authority section; one that accepts only SHA-1 imprints refuses every request.
  static std::string Section(const std::string& name, const std::string& dir,
                             const std::string& digests) {
    return "[ " + name +
           " ]\n"
           "serial = " +
           dir +
           "/tsaserial\n"
           "crypto_device = builtin\n"
           "signer_cert = " +
           dir +
           "/tsa.pem\n"
           "certs = " +
           dir +
           "/root.pem\n"
           "signer_key = " +
           dir +
           "/tsa.key\n"
           "signer_digest = sha256\n"
           "default_policy = 1.3.6.1.4.1.4146.2.3\n"
           "digests = " +
           digests +
           "\n"
           "accuracy = secs:1\n"
           "ordering = yes\n"
           "tsa_name = yes\n"
           "ess_cert_id_chain = no\n"
           "ess_cert_id_alg = sha256\n";
  }

  std::filesystem::path dir_;
  bool ok_ = false;
  int port_ = -1;
  httplib::Server server_;
  std::thread thread_;
  std::mutex mu_;
  Mode mode_ = Mode::kNormal;
  int requests_ = 0;
};

}  // namespace izde::ledger::testing
