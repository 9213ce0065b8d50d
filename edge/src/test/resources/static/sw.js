self.addEventListener("fetch", () => {}); // test service worker
