import { goldenTest } from "./golden.ts";

goldenTest("veeam-tapemedium");
