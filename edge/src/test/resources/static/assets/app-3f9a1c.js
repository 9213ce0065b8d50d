console.log("test app bundle");
