// jest globalTeardown: see tmpdir.js.
module.exports = require('./tmpdir').teardown;
