import { render } from "solid-js/web";
import { App } from "./app";
import "./index.css";
import { trackSession } from "./lib/session";

trackSession();
const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
render(() => <App />, root);
