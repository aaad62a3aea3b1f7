import { goldenTest } from "./golden.ts";

goldenTest("tsm-drmedia");
