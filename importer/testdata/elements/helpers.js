// A helper script kept next to the elements; not an element itself.
function formatAmount(cents) {
  return (cents / 100).toFixed(2);
}
module.exports = { formatAmount };
