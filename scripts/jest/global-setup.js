// jest globalSetup, in the main process before it starts the workers, which inherit its environment
// (and so do the processes the tests start):
// - the run's temporary files go to a folder of its own (tmpdir.js);
// - NODE_EXTRA_CA_CERTS is dropped: with it set, every Node process parses that CA bundle as it
//   starts (~40 ms of CPU for Debian's 144 certificates), and the suite starts ~30 of them (the two
//   workers and the scripts the tests run), while no test opens a TLS connection to anything
//   outside it. Measured: ~0.7 s of CPU and 0.3-0.4 s of the suite's wall time on this 2-core
//   machine (README, Speed, "2026-12-05, afternoon").
const tmpdirSetup = require('./tmpdir');

module.exports = async function globalSetup() {
  await tmpdirSetup();
  delete process.env.NODE_EXTRA_CA_CERTS;
};
