// A content script cannot be an ES module: it loads the add-on's module, which does nothing on
// a site the operator has not allowed in the options.
(async () => {
  try {
    const { start } = await import(chrome.runtime.getURL("content-main.js"));
    await start();
  } catch (err) {
    console.warn("chatlint: не удалось запустить проверку на этой странице", err && err.name);
  }
})();
