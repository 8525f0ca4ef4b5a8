// `izde log ...`: the vault's transparency log (docs/formats/ledger.md), and the partner
// side of cosigning, which needs no vault: a partner abroad holds a cosigner key, a
// mirror of the log (a plain copy of VAULT/log) and the last checkpoint they cosigned.
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "ledger/base64.h"
#include "ledger/cosignature.h"
#include "ledger/note.h"
#include "ledger/timestamp.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Status WriteText(const std::string& path, const std::string& text, bool secret = false) {
  if (secret) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).close();
    ::chmod(path.c_str(), 0600);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return out ? Status::Ok() : Status::Io("cannot write " + path);
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

Result<ledger::NoteVerifier> ReadVerifier(const std::string& path) {
  IZDE_ASSIGN_OR_RETURN(std::string text, ReadText(path));
  auto v = ledger::NoteVerifier::Parse(Trim(text));
  if (!v.ok()) return v.status().Within(path);
  return v;
}

Status LogStatus(const Context& ctx) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  auto* log = v->log();
  IZDE_ASSIGN_OR_RETURN(std::string note, log->LatestCheckpoint());
  IZDE_ASSIGN_OR_RETURN(auto cosigners, log->Cosigners());
  IZDE_ASSIGN_OR_RETURN(auto parsed, ledger::ParseNote(note));
  const std::string root = ledger::Base64Encode(log->log().Root());
  IZDE_ASSIGN_OR_RETURN(auto tsa, log->TimestampAuthority());
  IZDE_ASSIGN_OR_RETURN(auto token, log->TimestampToken(log->Size()));
  std::string stamped;
  if (tsa && !token.empty()) {
    auto body = ledger::ParseNote(note);
    auto t = ledger::VerifyTimestampToken(token, body.ok() ? body->text : "", tsa->trusted_pem);
    stamped = t.ok() ? t->time_text + " by " + t->authority : "invalid: " + t.status().message();
  }
  if (ctx.json) {
    PrintJson({{"size", log->Size()},
               {"root", root},
               {"origin", log->origin()},
               {"log_key", log->verifier().Encode()},
               {"checkpoint", note},
               {"checkpoint_signatures", parsed.signatures.size()},
               {"cosigners", cosigners.size()},
               {"timestamp_authority", tsa ? tsa->url : ""},
               {"timestamp", stamped}});
    return Status::Ok();
  }
  std::cout << "Log " << log->origin() << "\n  " << log->Size() << " entries, root " << root
            << "\n  public key: " << log->verifier().Encode() << "\n  " << cosigners.size()
            << " known cosigners; the latest checkpoint carries " << parsed.signatures.size()
            << " signatures";
  if (tsa)
    std::cout << "; timestamp authority " << tsa->url << ": "
              << (stamped.empty() ? "the latest checkpoint is not timestamped yet (izde log "
                                    "checkpoint tries again)"
                                  : "timestamped " + stamped);
  std::cout << ":\n\n" << note;
  return Status::Ok();
}

Status MakeCheckpoint(const Context& ctx) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_ASSIGN_OR_RETURN(std::string note, v->Checkpoint());
  std::cout << note;
  const std::string& problem = v->log()->timestamp_problem();
  if (!problem.empty()) std::cerr << "izde: warning: not timestamped: " << problem << "\n";
  return Status::Ok();
}

Status SetTsa(const Context& ctx, const std::string& url, const std::string& cert, bool off) {
  if (off == !url.empty())
    return Status::InvalidInput("give either the authority's URL (with --cert) or --off");
  std::string pem;
  if (!off) {
    if (cert.empty())
      return Status::InvalidInput("give the timestamp authority's certificate with --cert FILE");
    IZDE_ASSIGN_OR_RETURN(pem, ReadText(cert));
  }
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_RETURN_IF_ERROR(v->log()->SetTimestampAuthority(off ? "" : url, pem));
  if (off) {
    if (!ctx.quiet) std::cout << "Checkpoints are no longer timestamped.\n";
    return Status::Ok();
  }
  // Stamp the latest checkpoint at once: a wrong URL or certificate shows up now.
  Status st = v->log()->TimestampLatest();
  if (!st.ok())
    return st.Within("the authority is saved, but timestamping the latest checkpoint failed");
  if (!ctx.quiet)
    std::cout << "Every checkpoint is now timestamped by " << url
              << "; the latest one already is.\n";
  return Status::Ok();
}

Status Prove(const Context& ctx, const std::string& id, const std::string& out) {
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  const auto* tip = v->log()->LatestRecord(id);
  if (!tip) return Status::NotFound("record '" + id + "' is not in the log");
  IZDE_ASSIGN_OR_RETURN(auto proof, v->log()->Prove(tip->index));
  if (!out.empty()) {
    IZDE_RETURN_IF_ERROR(WriteText(out, proof.Format()));
    if (!ctx.quiet)
      std::cout << "Wrote the proof of " << id << " version " << tip->version << " (log entry "
                << tip->index << ") to " << out << "\n";
    return Status::Ok();
  }
  std::cout << proof.Format();
  return Status::Ok();
}

struct CosignArgs {
  std::string checkpoint, key, log_key, mirror, state, out;
};

// The partner's side: check the log's signature and that the new checkpoint extends the
// last one this key cosigned (with a consistency proof computed from a verified mirror),
// then cosign and remember it.
Status Cosign(const Context& ctx, const CosignArgs& a) {
  IZDE_ASSIGN_OR_RETURN(std::string note, ReadText(a.checkpoint));
  IZDE_ASSIGN_OR_RETURN(std::string key_text, ReadText(a.key));
  auto signer = ledger::NoteSigner::Parse(Trim(key_text));
  std::fill(key_text.begin(), key_text.end(), '\0');
  if (!signer.ok()) return signer.status().Within(a.key);
  IZDE_ASSIGN_OR_RETURN(auto log_key, ReadVerifier(a.log_key));
  const std::string state = a.state.empty() ? a.key + ".last-cosigned" : a.state;
  IZDE_ASSIGN_OR_RETURN(auto note_parsed, ledger::ParseNote(note));
  IZDE_ASSIGN_OR_RETURN(auto now, ledger::Checkpoint::ParseBody(note_parsed.text));
  ledger::CosignRequest req;
  req.signed_checkpoint = note;
  req.log_key = log_key;
  req.timestamp = static_cast<uint64_t>(std::time(nullptr));
  std::vector<ledger::Hash> proof;
  if (auto last_text = ReadText(state); last_text.ok()) {
    IZDE_ASSIGN_OR_RETURN(auto last, ledger::Checkpoint::ParseBody(*last_text));
    if (last.size > now.size)
      return Status::InvalidInput("refusing to cosign: the log had " + std::to_string(last.size) +
                                  " entries when you last cosigned, this checkpoint has " +
                                  std::to_string(now.size) + " (a rollback)");
    if (last.size > 0 && last.size < now.size) {
      if (a.mirror.empty())
        return Status::InvalidInput(
            "give --log MIRROR (a copy of the vault's log directory) to check that this "
            "checkpoint extends the one you cosigned at size " +
            std::to_string(last.size));
      IZDE_ASSIGN_OR_RETURN(auto mirror, ledger::Log::Open(a.mirror, ledger::Log::Mode::kReadOnly));
      IZDE_ASSIGN_OR_RETURN(auto root, mirror.RootAt(now.size));
      if (root != now.root)
        return Status::InvalidInput("refusing to cosign: the mirror " + a.mirror +
                                    " does not match this checkpoint");
      IZDE_ASSIGN_OR_RETURN(proof, mirror.ConsistencyProof(last.size, now.size));
    }
    req.last_cosigned = last;
  }
  req.consistency_proof = proof;
  IZDE_ASSIGN_OR_RETURN(auto sig, ledger::Cosign(req, *signer));
  std::vector<ledger::NoteSignature> sigs{sig};
  IZDE_ASSIGN_OR_RETURN(std::string cosigned, ledger::AddSignatures(note, sigs));
  IZDE_RETURN_IF_ERROR(WriteText(state, now.Body()));
  const std::string out = a.out.empty() ? a.checkpoint + ".cosigned" : a.out;
  IZDE_RETURN_IF_ERROR(WriteText(out, cosigned));
  if (!ctx.quiet)
    std::cout << "Cosigned " << now.origin << " at size " << now.size << " as " << signer->name()
              << "; send " << out << " back to the group (izde log add-cosignature).\n";
  return Status::Ok();
}

Status Keygen(const Context& ctx, const std::string& name, const std::string& out) {
  IZDE_ASSIGN_OR_RETURN(auto signer,
                        ledger::NoteSigner::Generate(name, ledger::KeyType::kCosignatureV1));
  auto secret = signer.EncodePrivate();
  IZDE_RETURN_IF_ERROR(WriteText(
      out, std::string(reinterpret_cast<const char*>(secret.data()), secret.size()) + "\n", true));
  IZDE_RETURN_IF_ERROR(WriteText(out + ".pub", signer.verifier().Encode() + "\n"));
  if (!ctx.quiet)
    std::cout << "Wrote the cosigner key " << out << " (keep it secret) and its public key " << out
              << ".pub (give it to the group and to verifiers).\n";
  return Status::Ok();
}

Status AddCosignature(const Context& ctx, const std::string& file, const std::string& key) {
  IZDE_ASSIGN_OR_RETURN(std::string note, ReadText(file));
  IZDE_ASSIGN_OR_RETURN(auto cosigner, ReadVerifier(key));
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock());
  IZDE_RETURN_IF_ERROR(v->log()->AddCosignature(note, cosigner));
  if (!ctx.quiet) std::cout << "Stored the cosignature of " << cosigner.name << ".\n";
  return Status::Ok();
}

void AddLogCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto* log = app.add_subcommand("log", "The tamper-evident log: status, checkpoints, proofs");
  log->require_subcommand(1);

  log->add_subcommand("status", "Size, root, public key and latest checkpoint of the log")
      ->callback(Guard(out, [&ctx] { return LogStatus(ctx); }));

  log->add_subcommand("checkpoint", "Sign (and timestamp, if set up) a checkpoint now; print it")
      ->callback(Guard(out, [&ctx] { return MakeCheckpoint(ctx); }));

  auto url = std::make_shared<std::string>();
  auto cert = std::make_shared<std::string>();
  auto off = std::make_shared<bool>(false);
  auto* tsa = log->add_subcommand("tsa", "Timestamp every checkpoint with an RFC 3161 authority");
  tsa->add_option("url", *url, "The authority's URL, e.g. https://freetsa.org/tsr");
  tsa->add_option("--cert", *cert, "Its certificate chain (PEM) to check its tokens against");
  tsa->add_flag("--off", *off, "Stop timestamping");
  tsa->callback(Guard(out, [&ctx, url, cert, off] { return SetTsa(ctx, *url, *cert, *off); }));

  auto id = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  auto* prove = log->add_subcommand("prove", "A C2SP tlog-proof for a record's latest version");
  prove->add_option("id", *id, "Record id")->required();
  prove->add_option("--out", *file, "Write the proof to this file");
  prove->callback(Guard(out, [&ctx, id, file] { return Prove(ctx, *id, *file); }));

  auto args = std::make_shared<CosignArgs>();
  auto* cosign = log->add_subcommand(
      "cosign", "Partner side: cosign a checkpoint after checking it extends the last one");
  cosign->add_option("checkpoint", args->checkpoint, "The signed checkpoint file")->required();
  cosign->add_option("--key", args->key, "Your cosigner key file (izde log keygen)")->required();
  cosign->add_option("--log-key", args->log_key, "The log's public key file")->required();
  cosign->add_option("--log", args->mirror, "A mirror of the log directory (for the proof)");
  cosign->add_option("--state", args->state,
                     "Where the last cosigned checkpoint is kept (default KEY.last-cosigned)");
  cosign->add_option("--out", args->out, "The cosigned checkpoint (default CHECKPOINT.cosigned)");
  cosign->callback(Guard(out, [&ctx, args] { return Cosign(ctx, *args); }));

  auto name = std::make_shared<std::string>();
  auto* keygen = log->add_subcommand("keygen", "Partner side: make a cosigner key");
  keygen->add_option("name", *name, "Key name, e.g. partner.example/izde-cosigner")->required();
  keygen->add_option("--out", *file, "Private key file (the public key goes to FILE.pub)")
      ->required();
  keygen->callback(Guard(out, [&ctx, name, file] { return Keygen(ctx, *name, *file); }));

  auto key = std::make_shared<std::string>();
  auto* add = log->add_subcommand("add-cosignature", "Store a partner's cosigned checkpoint");
  add->add_option("file", *file, "The cosigned checkpoint")->required();
  add->add_option("--cosigner-key", *key, "The partner's public key file")->required();
  add->callback(Guard(out, [&ctx, file, key] { return AddCosignature(ctx, *file, *key); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(60, AddLogCommands);

}  // namespace izde::cli
