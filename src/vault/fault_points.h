// Fault injection for tests of crash safety: points in the vault's code where a test can
// stop the process (in a child it forked), to check what the next unlock finds. Null, and
// so free, in normal runs.
#pragma once

namespace izde::vault::testing {

// Called between keeping an evidence file's sealed blob and saving the record that names
// it (Vault::AddEvidence, AddEvidenceBytes, FinishEvidence).
inline void (*after_blob_kept)() = nullptr;

}  // namespace izde::vault::testing
