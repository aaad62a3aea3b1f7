import { goldenTest } from "./golden.ts";

goldenTest("commvault-media");
