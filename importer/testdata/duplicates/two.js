export const sendInvoiceCopy = {
  "type": "APIEvent",
  "id": "dUPab",
  "properties": { "wf_name": "Send-Invoice", "expose": true, "auth_unecessary": true }
};
