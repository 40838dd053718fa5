// Signs through a Bakeguard replica with Taquito's RemoteSigner (which checks the returned
// signature against the key itself) and prints one JSON line for the Java test to read.
// Usage: node remote-signer-check.js URL PKH HEX CONFLICTING_HEX
const { RemoteSigner } = require('@taquito/remote-signer');
const { verifySignature } = require('@taquito/utils');

const [url, pkh, hex, conflicting] = process.argv.slice(2);

(async () => {
  const signer = new RemoteSigner(pkh, url);
  const publicKey = await signer.publicKey();
  const signed = await signer.sign(hex);
  const again = await signer.sign(hex);
  let conflict = 'signed';
  try {
    await signer.sign(conflicting);
  } catch (e) {
    conflict = (e && e.status) ? String(e.status) : (e && e.name) || 'error';
  }
  console.log(JSON.stringify({
    publicKey,
    prefixSig: signed.prefixSig,
    sameOnRetry: again.prefixSig === signed.prefixSig,
    verified: verifySignature(hex, publicKey, signed.prefixSig),
    conflict,
  }));
})().catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.message ? e.message : e) }));
  process.exit(1);
});
