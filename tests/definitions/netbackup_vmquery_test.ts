import { goldenTest } from "./golden.ts";

goldenTest("netbackup-vmquery");
